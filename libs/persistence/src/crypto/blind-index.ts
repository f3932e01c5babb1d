import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyRingConfigError } from './phi-crypto.errors';
import { decodeBase64Strict } from './key-ring';
import { personMatchKey } from './normalizers';
import { SecretBytes } from './secret-bytes';

/** Parses BLIND_INDEX_KEY (base64, at least 32 bytes); errors name the variable, never the value. */
export function parseBlindIndexKey(raw: string): SecretBytes {
  if (!raw) throw new KeyRingConfigError('BLIND_INDEX_KEY', 'is required (base64, at least 32 bytes)');
  const key = decodeBase64Strict(raw);
  if (!key) throw new KeyRingConfigError('BLIND_INDEX_KEY', 'is not valid base64');
  if (key.length < 32) throw new KeyRingConfigError('BLIND_INDEX_KEY', `must be at least 32 bytes, got ${key.length}`);
  const secret = new SecretBytes(key);
  key.fill(0);
  return secret;
}

/** Domain of the person match index (name + date of birth). */
export const PERSON_MATCH_DOMAIN = 'person.match.v1';

/**
 * Keyed, deterministic index of PHI values (HMAC-SHA256) for equality lookups without
 * decrypting. The domain separates fields: the same value in two fields indexes differently.
 */
export class BlindIndex {
  readonly #key: Buffer;

  constructor(key: Buffer | SecretBytes) {
    const bytes = key instanceof SecretBytes ? key.reveal() : key;
    if (!Buffer.isBuffer(bytes) || bytes.length < 32) {
      throw new KeyRingConfigError('BLIND_INDEX_KEY', 'must be at least 32 bytes');
    }
    this.#key = Buffer.from(bytes);
  }

  /** Thin wrapper for tests and scripts; services get the key from their validated configuration. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): BlindIndex {
    return new BlindIndex(parseBlindIndexKey(env.BLIND_INDEX_KEY ?? ''));
  }

  /** Hex HMAC-SHA256 of domain + '\0' + normalized. Normalize first (see normalizers). */
  compute(normalized: string, domain: string): string {
    if (!domain || domain.includes('\0')) throw new Error('BlindIndex: domain must be a non-empty string without NUL');
    return createHmac('sha256', this.#key).update(domain, 'utf8').update('\0').update(normalized, 'utf8').digest('hex');
  }

  /** Index for matching a person by name and date of birth. */
  personMatch(name: string, dateOfBirth: string | Date): string {
    return this.compute(personMatchKey(name, dateOfBirth), PERSON_MATCH_DOMAIN);
  }

  toJSON(): string {
    return 'BlindIndex { key: [redacted] }';
  }

  [inspect.custom](): string {
    return 'BlindIndex { key: [redacted] }';
  }
}
