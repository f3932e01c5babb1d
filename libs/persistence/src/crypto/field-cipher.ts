import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyRing, KEY_ID_PATTERN } from './key-ring';
import { PhiCryptoError } from './phi-crypto.errors';
import type { SecretBytes } from './secret-bytes';

/** Every serialized PHI value starts with this prefix (contracts validate /^enc:v1:/). */
export const PHI_TOKEN_PREFIX = 'enc:v1:';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const DEK_BYTES = 32;
const WRAPPED_DEK_BYTES = IV_BYTES + TAG_BYTES + DEK_BYTES;

interface ParsedToken {
  kid: string;
  wrappedDek: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  /** iv, tag and ciphertext as serialized, so rewrap can keep them byte for byte. */
  dataPart: string;
}

const b64url = (buf: Buffer): string => buf.toString('base64url');
const B64URL = /^[A-Za-z0-9_-]*$/;

// The wrapped DEK is bound to its KEK id so that a wrapped key cannot be relabelled.
const wrapAad = (kid: string): Buffer => Buffer.from(`cit:dek:v1:${kid}`, 'utf8');

function seal(key: Buffer, plain: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; ct: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ct };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, ct: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

/**
 * AES-256-GCM envelope encryption of PHI fields. Each value gets a fresh data key (DEK);
 * the DEK is wrapped by the key ring's active key-encryption key (KEK). Token:
 * enc:v1:<kid>:<b64url wrappedDek = iv|tag|ct>:<b64url iv>:<b64url tag>:<b64url ciphertext>
 */
export class FieldCipher {
  constructor(private readonly keyRing: KeyRing) {}

  /** Builds a cipher from parsed configuration (the service chassis passes PHI_KEYS and PHI_ACTIVE_KEY_ID). */
  static fromConfig(config: { keys: ReadonlyMap<string, Buffer | SecretBytes>; activeKeyId: string }): FieldCipher {
    return new FieldCipher(new KeyRing(config.keys, config.activeKeyId));
  }

  /** The id of the KEK that wraps new data keys. */
  get activeKeyId(): string {
    return this.keyRing.activeKeyId;
  }

  /** True for strings in the enc:v1 token format (by prefix only; not a validity check). */
  isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PHI_TOKEN_PREFIX);
  }

  /**
   * Encrypts plain. aad (e.g. "person.name:<row id>") binds the token to its place: it must
   * be given again, identical, to decrypt.
   */
  encrypt(plain: string, aad?: string): string {
    if (typeof plain !== 'string') throw new TypeError('FieldCipher.encrypt expects a string');
    const kid = this.keyRing.activeKeyId;
    const dek = randomBytes(DEK_BYTES);
    try {
      const data = seal(dek, Buffer.from(plain, 'utf8'), Buffer.from(aad ?? '', 'utf8'));
      const wrapped = seal(this.keyRing.key(kid), dek, wrapAad(kid));
      const wrappedDek = Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ct]);
      return `${PHI_TOKEN_PREFIX}${kid}:${b64url(wrappedDek)}:${b64url(data.iv)}:${b64url(data.tag)}:${b64url(data.ct)}`;
    } finally {
      dek.fill(0);
    }
  }

  /**
   * An encryption session: one data key, wrapped once, for the values of one batch, each
   * value under its own IV. Far cheaper than a fresh key per value; tokens have the same
   * format and decrypt like any other. The key is replaced after maxValues values.
   */
  session(maxValues = 1_000_000): { encrypt(plain: string, aad?: string): string } {
    let dek: Buffer | undefined;
    let prefix = '';
    let used = 0;
    // NIST SP 800-38D deterministic IVs: a random 4-byte field per data key and an 8-byte
    // counter, unique for every value under that key without drawing random bytes each time.
    const iv = Buffer.alloc(IV_BYTES);
    return {
      encrypt: (plain: string, aad?: string): string => {
        if (typeof plain !== 'string') throw new TypeError('FieldCipher.encrypt expects a string');
        if (!dek || used >= maxValues) {
          dek?.fill(0);
          const kid = this.keyRing.activeKeyId;
          dek = randomBytes(DEK_BYTES);
          const wrapped = seal(this.keyRing.key(kid), dek, wrapAad(kid));
          prefix = `${PHI_TOKEN_PREFIX}${kid}:${b64url(Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ct]))}:`;
          randomBytes(4).copy(iv, 0);
          used = 0;
        }
        iv.writeBigUInt64BE(BigInt(used), 4);
        used++;
        const cipher = createCipheriv('aes-256-gcm', dek, iv, { authTagLength: TAG_BYTES });
        cipher.setAAD(Buffer.from(aad ?? '', 'utf8'));
        const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
        return `${prefix}${b64url(iv)}:${b64url(cipher.getAuthTag())}:${b64url(ct)}`;
      },
    };
  }

  /** Decrypts a token; throws PhiCryptoError on a malformed, tampered or unknown-key token or wrong aad. */
  decrypt(token: string, aad?: string): string {
    const parsed = this.parse(token);
    const dek = this.unwrapDek(parsed);
    try {
      return open(dek, parsed.iv, parsed.tag, parsed.ciphertext, Buffer.from(aad ?? '', 'utf8')).toString('utf8');
    } catch {
      throw new PhiCryptoError(
        'DECRYPT_FAILED',
        `PHI value failed authentication (key "${parsed.kid}"): tampered, or the associated data does not match`,
      );
    } finally {
      dek.fill(0);
    }
  }

  /** True when the token's data key is wrapped under a KEK other than the active one. */
  needsRewrap(token: string): boolean {
    return this.parse(token).kid !== this.keyRing.activeKeyId;
  }

  /**
   * Re-wraps the token's data key under the active KEK. The data ciphertext, IV and tag are
   * kept byte for byte, so no plaintext is produced and no AAD is needed.
   */
  rewrap(token: string): string {
    const parsed = this.parse(token);
    const active = this.keyRing.activeKeyId;
    if (parsed.kid === active) return token;
    const dek = this.unwrapDek(parsed);
    try {
      const wrapped = seal(this.keyRing.key(active), dek, wrapAad(active));
      const wrappedDek = Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ct]);
      return `${PHI_TOKEN_PREFIX}${active}:${b64url(wrappedDek)}:${parsed.dataPart}`;
    } finally {
      dek.fill(0);
    }
  }

  /** The KEK id a token was wrapped with. */
  keyIdOf(token: string): string {
    return this.parse(token).kid;
  }

  private unwrapDek(parsed: ParsedToken): Buffer {
    const kek = this.keyRing.key(parsed.kid);
    const w = parsed.wrappedDek;
    try {
      return open(
        kek,
        w.subarray(0, IV_BYTES),
        w.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
        w.subarray(IV_BYTES + TAG_BYTES),
        wrapAad(parsed.kid),
      );
    } catch {
      throw new PhiCryptoError(
        'DECRYPT_FAILED',
        `PHI data key could not be unwrapped with key "${parsed.kid}": tampered or wrong key`,
      );
    }
  }

  private parse(token: string): ParsedToken {
    // Errors say what is wrong with the shape, never echo the token.
    if (!this.isEncrypted(token)) throw new PhiCryptoError('MALFORMED_TOKEN', 'value is not an enc:v1 PHI token');
    const parts = token.slice(PHI_TOKEN_PREFIX.length).split(':');
    if (parts.length !== 5)
      throw new PhiCryptoError('MALFORMED_TOKEN', 'enc:v1 PHI token must have 5 fields after the prefix');
    const [kid, wrapped, iv, tag, ct] = parts as [string, string, string, string, string];
    if (!KEY_ID_PATTERN.test(kid))
      throw new PhiCryptoError('MALFORMED_TOKEN', 'enc:v1 PHI token has an invalid key id');
    if (![wrapped, iv, tag, ct].every((p) => B64URL.test(p))) {
      throw new PhiCryptoError('MALFORMED_TOKEN', 'enc:v1 PHI token has a field that is not base64url');
    }
    const parsed: ParsedToken = {
      kid,
      wrappedDek: Buffer.from(wrapped, 'base64url'),
      iv: Buffer.from(iv, 'base64url'),
      tag: Buffer.from(tag, 'base64url'),
      ciphertext: Buffer.from(ct, 'base64url'),
      dataPart: `${iv}:${tag}:${ct}`,
    };
    if (
      parsed.wrappedDek.length !== WRAPPED_DEK_BYTES ||
      parsed.iv.length !== IV_BYTES ||
      parsed.tag.length !== TAG_BYTES
    ) {
      throw new PhiCryptoError('MALFORMED_TOKEN', 'enc:v1 PHI token has fields of the wrong length');
    }
    return parsed;
  }
}
