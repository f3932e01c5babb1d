import { inspect } from 'node:util';
import { KeyRingConfigError, PhiCryptoError } from './phi-crypto.errors';
import { SecretBytes } from './secret-bytes';

/** Key ids appear inside tokens separated by ':' so they use a restricted alphabet. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decodes standard or URL-safe base64, rejecting anything else (Buffer.from is lenient). */
export function decodeBase64Strict(value: string): Buffer | undefined {
  const v = value.trim();
  if (!v || !BASE64.test(v)) return undefined;
  return Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * Parses the PHI_KEYS format "kid1:<base64 32 bytes>,kid2:<base64>" into key bytes by id;
 * throws KeyRingConfigError naming entries by position, never by content.
 */
export function parsePhiKeys(raw: string): ReadonlyMap<string, SecretBytes> {
  if (!raw.trim())
    throw new KeyRingConfigError('PHI_KEYS', 'is required (format kid1:<base64 32 bytes>,kid2:<base64 32 bytes>)');
  const keys = new Map<string, SecretBytes>();
  raw.split(',').forEach((entry, index) => {
    const position = index + 1;
    const sep = entry.indexOf(':');
    if (sep <= 0) throw new KeyRingConfigError('PHI_KEYS', `entry ${position} is not "kid:<base64>"`);
    const kid = entry.slice(0, sep).trim();
    if (!KEY_ID_PATTERN.test(kid))
      throw new KeyRingConfigError('PHI_KEYS', `key id of entry ${position} must match ${KEY_ID_PATTERN.source}`);
    if (keys.has(kid)) throw new KeyRingConfigError('PHI_KEYS', `key id of entry ${position} appears twice`);
    const key = decodeBase64Strict(entry.slice(sep + 1));
    if (!key) throw new KeyRingConfigError('PHI_KEYS', `key of entry ${position} is not valid base64`);
    if (key.length !== 32)
      throw new KeyRingConfigError(
        'PHI_KEYS',
        `key of entry ${position} must be 32 bytes (AES-256), got ${key.length}`,
      );
    keys.set(kid, new SecretBytes(key));
    key.fill(0);
  });
  return keys;
}

/** Key-encryption keys (KEKs) by id, plus which one wraps new data keys. */
export class KeyRing {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly activeKeyId: string;

  constructor(
    keys: ReadonlyMap<string, Buffer | SecretBytes> | Record<string, Buffer | SecretBytes>,
    activeKeyId: string,
  ) {
    const entries = keys instanceof Map ? [...keys.entries()] : Object.entries(keys);
    const map = new Map(entries.map(([kid, key]) => [kid, key instanceof SecretBytes ? key.reveal() : key] as const));
    if (map.size === 0) throw new KeyRingConfigError('PHI_KEYS', 'no keys given');
    let position = 0;
    for (const [kid, key] of map) {
      position++;
      // Positions, not contents, identify bad entries: configuration errors reach logs.
      if (!KEY_ID_PATTERN.test(kid)) {
        throw new KeyRingConfigError('PHI_KEYS', `key id of entry ${position} must match ${KEY_ID_PATTERN.source}`);
      }
      if (key.length !== 32) {
        throw new KeyRingConfigError(
          'PHI_KEYS',
          `key of entry ${position} must be 32 bytes (AES-256), got ${key.length}`,
        );
      }
    }
    if (!map.has(activeKeyId)) {
      throw new KeyRingConfigError('PHI_ACTIVE_KEY_ID', 'is not one of the key ids in PHI_KEYS');
    }
    this.#keys = map;
    this.activeKeyId = activeKeyId;
  }

  /** Ids of all keys in the ring (safe to log). */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** True when the ring can unwrap data keys wrapped under kid. */
  has(kid: string): boolean {
    return this.#keys.has(kid);
  }

  /** The KEK for kid; throws PhiCryptoError UNKNOWN_KEY when absent. */
  key(kid: string): Buffer {
    const key = this.#keys.get(kid);
    if (!key) throw new PhiCryptoError('UNKNOWN_KEY', `PHI key "${kid}" is not in the key ring (PHI_KEYS)`);
    return key;
  }

  // Keys must never reach logs, even through an accidental console.log(ring) or JSON dump.
  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `KeyRing { activeKeyId: '${this.activeKeyId}', keyIds: [${this.keyIds.map((k) => `'${k}'`).join(', ')}] }`;
  }
}
