import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyRingConfigError } from './phi-crypto.errors';
import { decodeBase64Strict } from './key-ring';
import { personMatchKey } from './normalizers';
import { SecretBytes } from './secret-bytes';

/** Parses BLIND_INDEX_KEY (base64, at least 32 bytes); errors name the variable, never the value. */
export function parseBlindIndexKey(raw: string, variable = 'BLIND_INDEX_KEY'): SecretBytes {
  if (!raw) throw new KeyRingConfigError(variable, 'is required (base64, at least 32 bytes)');
  const key = decodeBase64Strict(raw);
  if (!key) throw new KeyRingConfigError(variable, 'is not valid base64');
  if (key.length < 32) throw new KeyRingConfigError(variable, `must be at least 32 bytes, got ${key.length}`);
  const secret = new SecretBytes(key);
  key.fill(0);
  return secret;
}

/**
 * Parses BLIND_INDEX_KEYS ("version:base64,..."): master keys of blind-index versions that do
 * not derive from BLIND_INDEX_KEY (a rotation after the master key was exposed).
 */
export function parseBlindIndexVersionKeys(raw: string | undefined): Map<number, SecretBytes> {
  const keys = new Map<number, SecretBytes>();
  if (!raw) return keys;
  for (const [position, entry] of raw.split(',').entries()) {
    const which = `entry ${position + 1}`;
    const colon = entry.indexOf(':');
    const version = Number(entry.slice(0, colon).trim());
    if (colon < 0 || !Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
      throw new KeyRingConfigError(
        'BLIND_INDEX_KEYS',
        `${which} must be "version:base64" with a version from 1 to ${MAX_VERSION}`,
      );
    }
    if (keys.has(version)) throw new KeyRingConfigError('BLIND_INDEX_KEYS', `${which} repeats version ${version}`);
    try {
      keys.set(version, parseBlindIndexKey(entry.slice(colon + 1).trim(), 'BLIND_INDEX_KEYS'));
    } catch (err) {
      if (!(err instanceof KeyRingConfigError)) throw err;
      throw new KeyRingConfigError('BLIND_INDEX_KEYS', `${which} ${err.message.slice(err.variable.length + 2)}`);
    }
  }
  return keys;
}

/** Parses BLIND_INDEX_ACTIVE_VERSION, the version new indexes are written with (default 1). */
export function parseActiveBlindIndexVersion(raw: string | undefined): number {
  const value = (raw ?? '').trim() || '1';
  const version = Number(value);
  if (!/^\d+$/.test(value) || version < 1 || version > MAX_VERSION) {
    throw new KeyRingConfigError('BLIND_INDEX_ACTIVE_VERSION', `must be a version from 1 to ${MAX_VERSION}`);
  }
  return version;
}

/**
 * Parses BLIND_INDEX_PREVIOUS_VERSION: "legacy" (the unversioned indexes made before
 * per-department keys, the default), "none", or a version number below the active one.
 */
export function parsePreviousBlindIndexVersion(raw: string | undefined): BlindIndexVersion | null {
  const value = (raw ?? 'legacy').trim();
  if (value === 'none') return null;
  if (value === 'legacy') return LEGACY_VERSION;
  const version = Number(value);
  if (!/^\d+$/.test(value) || version < 1 || version > MAX_VERSION) {
    throw new KeyRingConfigError(
      'BLIND_INDEX_PREVIOUS_VERSION',
      `must be "legacy", "none" or a version from 1 to ${MAX_VERSION}`,
    );
  }
  return version;
}

/** A blind-index version: 0 is the legacy scheme (one global key, no prefix), 1.. are per-department derived keys. */
export type BlindIndexVersion = number;

/** The unversioned indexes made before per-department keys: HMAC with BLIND_INDEX_KEY itself, stored without a prefix. */
export const LEGACY_VERSION = 0;

const MAX_VERSION = 9999;
const VERSIONED = /^v(\d{1,4}):([0-9a-f]{64})$/;
const LEGACY = /^[0-9a-f]{64}$/;

/** The version a stored index or fingerprint was made under (LEGACY_VERSION for a bare digest), or null when it is neither. */
export function blindIndexVersionOf(stored: string): BlindIndexVersion | null {
  const m = VERSIONED.exec(stored);
  if (m) return Number(m[1]);
  return LEGACY.test(stored) ? LEGACY_VERSION : null;
}

/** Domain of the person match index (name + date of birth). */
export const PERSON_MATCH_DOMAIN = 'person.match.v1';

/** Domain of the person phone-match index (name + phone), separate from name + date of birth. */
export const PERSON_PHONE_MATCH_DOMAIN = 'person.phone-match.v1';

/** What the derived keys are for: indexes and request fingerprints never share a key. */
type Purpose = 'index' | 'fingerprint';

/** Settings of a blind index; plain bytes so they can cross to a worker thread (SecretBytes cannot). */
export interface BlindIndexSettings {
  /** BLIND_INDEX_KEY: master key of every version without its own entry, and the key of the legacy scheme. */
  masterKey: Uint8Array;
  /** BLIND_INDEX_KEYS: versions with their own master key. */
  versionKeys: [number, Uint8Array][];
  activeVersion: number;
  previousVersion: number | null;
}

/** Options beside the master key: the rotation state (defaults: version 1 active, legacy accepted). */
export interface BlindIndexOptions {
  versionKeys?: ReadonlyMap<number, SecretBytes | Buffer>;
  activeVersion?: number;
  previousVersion?: BlindIndexVersion | null;
}

const bytesOf = (key: SecretBytes | Buffer | Uint8Array): Buffer =>
  key instanceof SecretBytes ? key.reveal() : Buffer.from(key);

/**
 * Keyed, deterministic indexes of PHI values (HMAC-SHA256) for equality lookups without
 * decrypting. Each department has its own key per version, derived by HKDF from the version's
 * master key, so the same person has unrelated indexes in two departments. Writes use the
 * active version; lookups also accept the previous one while a rotation recomputes. Stored
 * values carry their version as a prefix ("v2:<hex>"); legacy ones are bare hex.
 */
export class BlindIndex {
  readonly #master: Buffer;
  readonly #versionKeys: Map<number, Buffer>;
  readonly #derived = new Map<string, Buffer>();
  readonly activeVersion: number;
  readonly previousVersion: BlindIndexVersion | null;

  constructor(masterKey: Buffer | SecretBytes, options: BlindIndexOptions = {}) {
    const master = bytesOf(masterKey);
    if (!Buffer.isBuffer(master) || master.length < 32) {
      throw new KeyRingConfigError('BLIND_INDEX_KEY', 'must be at least 32 bytes');
    }
    this.#master = master;
    this.#versionKeys = new Map([...(options.versionKeys ?? [])].map(([v, k]) => [v, bytesOf(k)]));
    this.activeVersion = options.activeVersion ?? 1;
    this.previousVersion = options.previousVersion === undefined ? LEGACY_VERSION : options.previousVersion;
    if (!Number.isInteger(this.activeVersion) || this.activeVersion < 1 || this.activeVersion > MAX_VERSION) {
      throw new KeyRingConfigError('BLIND_INDEX_ACTIVE_VERSION', `must be a version from 1 to ${MAX_VERSION}`);
    }
    if (this.previousVersion !== null && this.previousVersion >= this.activeVersion) {
      throw new KeyRingConfigError('BLIND_INDEX_PREVIOUS_VERSION', 'must be below BLIND_INDEX_ACTIVE_VERSION');
    }
  }

  /** Thin wrapper for tests and scripts; services get the keys from their validated configuration. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): BlindIndex {
    return new BlindIndex(parseBlindIndexKey(env.BLIND_INDEX_KEY ?? ''), {
      versionKeys: parseBlindIndexVersionKeys(env.BLIND_INDEX_KEYS),
      activeVersion: parseActiveBlindIndexVersion(env.BLIND_INDEX_ACTIVE_VERSION),
      previousVersion: parsePreviousBlindIndexVersion(env.BLIND_INDEX_PREVIOUS_VERSION),
    });
  }

  /** Rebuilds a blind index from settings() (in a worker thread). */
  static fromSettings(s: BlindIndexSettings): BlindIndex {
    return new BlindIndex(Buffer.from(s.masterKey), {
      versionKeys: new Map(s.versionKeys.map(([v, k]) => [v, Buffer.from(k)])),
      activeVersion: s.activeVersion,
      previousVersion: s.previousVersion,
    });
  }

  /** The key material and rotation state as plain bytes, for a worker thread; never log it. */
  settings(): BlindIndexSettings {
    return {
      masterKey: new Uint8Array(this.#master),
      versionKeys: [...this.#versionKeys].map(([v, k]) => [v, new Uint8Array(k)]),
      activeVersion: this.activeVersion,
      previousVersion: this.previousVersion,
    };
  }

  /** Versions lookups accept, the active one first. */
  get acceptedVersions(): BlindIndexVersion[] {
    return this.previousVersion === null ? [this.activeVersion] : [this.activeVersion, this.previousVersion];
  }

  /** True when a lookup under this version can still find rows (the active or the previous version). */
  accepts(version: BlindIndexVersion): boolean {
    return version === this.activeVersion || version === this.previousVersion;
  }

  /** The indexes of one department: every index is computed for a department, never globally. */
  forDepartment(departmentId: string): DepartmentBlindIndex {
    if (!departmentId || departmentId.includes('\0')) {
      throw new Error('BlindIndex: department id must be a non-empty string without NUL');
    }
    return new DepartmentBlindIndex(this, departmentId);
  }

  /** Stored form of HMAC(key of department and version, domain + '\0' + normalized). Normalize first (see normalizers). */
  computeAt(version: BlindIndexVersion, departmentId: string, normalized: string, domain: string): string {
    if (!domain || domain.includes('\0')) throw new Error('BlindIndex: domain must be a non-empty string without NUL');
    const digest = createHmac('sha256', this.#keyOf(version, departmentId, 'index'))
      .update(domain, 'utf8')
      .update('\0')
      .update(normalized, 'utf8')
      .digest('hex');
    return version === LEGACY_VERSION ? digest : `v${version}:${digest}`;
  }

  /**
   * Keyed fingerprint of a SHA-256 digest (hex) under a version: what intake stores for an
   * Idempotency-Key instead of the digest of a PHI-bearing body. Legacy is the digest itself.
   */
  fingerprintAt(version: BlindIndexVersion, departmentId: string, sha256Hex: string): string {
    if (version === LEGACY_VERSION) return sha256Hex;
    const mac = createHmac('sha256', this.#keyOf(version, departmentId, 'fingerprint')).update(sha256Hex, 'utf8');
    return `v${version}:${mac.digest('hex')}`;
  }

  #keyOf(version: BlindIndexVersion, departmentId: string, purpose: Purpose): Buffer {
    // Legacy indexes were HMACs with the master key itself, for every department alike.
    if (version === LEGACY_VERSION) return this.#master;
    const cacheKey = `${purpose}\0${version}\0${departmentId}`;
    let key = this.#derived.get(cacheKey);
    if (!key) {
      const master = this.#versionKeys.get(version) ?? this.#master;
      key = Buffer.from(hkdfSync('sha256', master, 'cit.blind-index', `${purpose}\0v${version}\0${departmentId}`, 32));
      this.#derived.set(cacheKey, key);
    }
    return key;
  }

  toJSON(): string {
    return 'BlindIndex { key: [redacted] }';
  }

  [inspect.custom](): string {
    return 'BlindIndex { key: [redacted] }';
  }
}

/** The blind indexes of one department: writes with the active version, lookups with every accepted one. */
export class DepartmentBlindIndex {
  constructor(
    readonly keys: BlindIndex,
    readonly departmentId: string,
  ) {}

  /** The index to store (active version). */
  compute(normalized: string, domain: string): string {
    return this.keys.computeAt(this.keys.activeVersion, this.departmentId, normalized, domain);
  }

  /** The index under the previous version while a rotation runs, else null. */
  previous(normalized: string, domain: string): string | null {
    const v = this.keys.previousVersion;
    return v === null ? null : this.keys.computeAt(v, this.departmentId, normalized, domain);
  }

  /** Every index a lookup must accept, the active one first. */
  lookup(normalized: string, domain: string): string[] {
    return this.keys.acceptedVersions.map((v) => this.keys.computeAt(v, this.departmentId, normalized, domain));
  }

  /** Index for matching a person by name and date of birth (active version). */
  personMatch(name: string, dateOfBirth: string | Date): string {
    return this.compute(personMatchKey(name, dateOfBirth), PERSON_MATCH_DOMAIN);
  }

  /** Keyed fingerprint of a request (its canonical JSON) under the active version. */
  fingerprint(canonicalJson: string): string {
    return this.keys.fingerprintAt(this.keys.activeVersion, this.departmentId, sha256Hex(canonicalJson));
  }

  /**
   * True when a stored fingerprint is of this request. A fingerprint under a version no longer
   * accepted cannot be checked and never matches: a retry then gets a mismatch, never a replay
   * of another request nor a duplicate.
   */
  fingerprintMatches(stored: string, canonicalJson: string): boolean {
    const version = blindIndexVersionOf(stored);
    if (version === null) return false;
    // Legacy fingerprints (the unkeyed digest, until the recompute keys them) keep working.
    if (version !== LEGACY_VERSION && !this.keys.accepts(version)) return false;
    return this.keys.fingerprintAt(version, this.departmentId, sha256Hex(canonicalJson)) === stored;
  }

  toJSON(): string {
    return 'DepartmentBlindIndex { key: [redacted] }';
  }

  [inspect.custom](): string {
    return 'DepartmentBlindIndex { key: [redacted] }';
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
