import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyRing, KEY_ID_PATTERN } from './key-ring';
import { PhiCryptoError } from './phi-crypto.errors';
import type { SecretBytes } from './secret-bytes';

/** Prefix of every serialized PHI value (both token versions). */
export const PHI_TOKEN_PREFIX = 'enc:v';

/** Tokens bound to free-form (or no) associated data: written before issue 14, and for wire formats partners decrypt. */
export const PHI_TOKEN_V1 = 'enc:v1:';

/** Tokens bound to their place (PhiBinding): table, column, department and row id. */
export const PHI_TOKEN_V2 = 'enc:v2:';

/**
 * Where a PHI value lives. A v2 token decrypts only with the same binding, so a ciphertext
 * copied to another row, column or department fails loudly. Values carried inside events are
 * bound to the row they were stored in by their producer (e.g. intake's subject fields to
 * incident_subject/<field>/<subject id>), so consumers keep that binding alongside the token.
 */
export interface PhiBinding {
  departmentId: string;
  table: string;
  column: string;
  rowId: string;
  /** The associated data the value's v1 token (if it still has one) was written with; '' when none. */
  legacyAad?: string;
}

/** The place of a binding, for error messages and logs: names the place, never the value. */
export function describeBinding(b: PhiBinding): string {
  return `${b.table}.${b.column} row "${b.rowId}" of department "${b.departmentId}"`;
}

// A JSON array is unambiguous whatever the parts contain (no separator can be smuggled in).
const bindingAad = (b: PhiBinding): Buffer =>
  Buffer.from(JSON.stringify(['cit:phi:v2', b.departmentId, b.table, b.column, b.rowId]), 'utf8');

function assertBinding(b: PhiBinding): void {
  for (const part of ['departmentId', 'table', 'column', 'rowId'] as const) {
    if (typeof b[part] !== 'string' || b[part].length === 0) {
      throw new PhiCryptoError('BAD_BINDING', `PHI binding needs a non-empty ${part}`);
    }
  }
}

const isBinding = (v: unknown): v is PhiBinding => typeof v === 'object' && v !== null;

const IV_BYTES = 12;
const TAG_BYTES = 16;
const DEK_BYTES = 32;
const WRAPPED_DEK_BYTES = IV_BYTES + TAG_BYTES + DEK_BYTES;

interface ParsedToken {
  version: 1 | 2;
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

// The wrapped DEK is bound to its KEK id so that a wrapped key cannot be relabelled; a v2
// data key is also bound to its department, so one data key can never serve two departments.
const wrapAad = (kid: string, departmentId?: string): Buffer =>
  Buffer.from(departmentId === undefined ? `cit:dek:v1:${kid}` : `cit:dek:v2:${kid}:${departmentId}`, 'utf8');

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

/** An encryption session: values of one department under one data key. */
export interface FieldCipherSession {
  /** Encrypts plain bound to its place; throws BAD_BINDING for a binding of another department. */
  encrypt(plain: string, binding: Omit<PhiBinding, 'departmentId'> & { departmentId?: string }): string;
}

/**
 * AES-256-GCM envelope encryption of PHI fields. Each value gets a fresh data key (DEK);
 * the DEK is wrapped by the key ring's active key-encryption key (KEK). Tokens:
 * enc:v2:<kid>:<b64url wrappedDek = iv|tag|ct>:<b64url iv>:<b64url tag>:<b64url ciphertext>
 * bound to a PhiBinding (the data's AAD names department, table, column and row; the wrapped
 * DEK's AAD names the KEK id and the department), and the legacy enc:v1 tokens of the same
 * shape, bound to a free-form string (or nothing) and a DEK bound to its KEK id only.
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

  /** Ids of every KEK in the ring (safe to log). */
  get keyIds(): string[] {
    return this.keyRing.keyIds;
  }

  /** True for strings in an enc:v1 or enc:v2 token format (by prefix only; not a validity check). */
  isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && (value.startsWith(PHI_TOKEN_V1) || value.startsWith(PHI_TOKEN_V2));
  }

  /**
   * Encrypts plain. With a PhiBinding (the rule for data at rest) the result is an enc:v2
   * token that decrypts only at that place. With a string (legacy, and wire formats that
   * partners decrypt with documented associated data) it is an enc:v1 token bound to the string.
   */
  encrypt(plain: string, place?: PhiBinding | string): string {
    if (typeof plain !== 'string') throw new TypeError('FieldCipher.encrypt expects a string');
    const binding = isBinding(place) ? place : undefined;
    if (binding) assertBinding(binding);
    const kid = this.keyRing.activeKeyId;
    const dek = randomBytes(DEK_BYTES);
    try {
      const aad = binding ? bindingAad(binding) : Buffer.from((place as string | undefined) ?? '', 'utf8');
      const data = seal(dek, Buffer.from(plain, 'utf8'), aad);
      const wrapped = seal(this.keyRing.key(kid), dek, wrapAad(kid, binding?.departmentId));
      const wrappedDek = Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ct]);
      const prefix = binding ? PHI_TOKEN_V2 : PHI_TOKEN_V1;
      return `${prefix}${kid}:${b64url(wrappedDek)}:${b64url(data.iv)}:${b64url(data.tag)}:${b64url(data.ct)}`;
    } finally {
      dek.fill(0);
    }
  }

  /**
   * An encryption session of one department: one data key, wrapped once (bound to the
   * department), for the values of one batch, each value under its own IV. Far cheaper than a
   * fresh key per value; tokens decrypt like any other. A binding of another department is
   * refused, so a batch key never spans departments. The key is replaced after maxValues values.
   */
  session(departmentId: string, maxValues = 1_000_000): FieldCipherSession {
    if (typeof departmentId !== 'string' || !departmentId)
      throw new PhiCryptoError('BAD_BINDING', 'an encryption session needs its department');
    let dek: Buffer | undefined;
    let prefix = '';
    let used = 0;
    // NIST SP 800-38D deterministic IVs: a random 4-byte field per data key and an 8-byte
    // counter, unique for every value under that key without drawing random bytes each time.
    const iv = Buffer.alloc(IV_BYTES);
    return {
      encrypt: (plain, place) => {
        if (typeof plain !== 'string') throw new TypeError('FieldCipher.encrypt expects a string');
        if (place.departmentId !== undefined && place.departmentId !== departmentId) {
          throw new PhiCryptoError(
            'BAD_BINDING',
            `${describeBinding(place as PhiBinding)} cannot be encrypted in a session of department "${departmentId}"`,
          );
        }
        const binding: PhiBinding = { ...place, departmentId };
        assertBinding(binding);
        if (!dek || used >= maxValues) {
          dek?.fill(0);
          const kid = this.keyRing.activeKeyId;
          dek = randomBytes(DEK_BYTES);
          const wrapped = seal(this.keyRing.key(kid), dek, wrapAad(kid, departmentId));
          prefix = `${PHI_TOKEN_V2}${kid}:${b64url(Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ct]))}:`;
          randomBytes(4).copy(iv, 0);
          used = 0;
        }
        iv.writeBigUInt64BE(BigInt(used), 4);
        used++;
        const cipher = createCipheriv('aes-256-gcm', dek, iv, { authTagLength: TAG_BYTES });
        cipher.setAAD(bindingAad(binding));
        const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
        return `${prefix}${b64url(iv)}:${b64url(cipher.getAuthTag())}:${b64url(ct)}`;
      },
    };
  }

  /**
   * Decrypts a token; throws PhiCryptoError on a malformed, tampered or unknown-key token, or
   * one read at another place than it was written for (naming the place, never the value).
   * A v2 token needs its PhiBinding; a v1 token is read with binding.legacyAad (or the string given).
   */
  decrypt(token: string, place?: PhiBinding | string): string {
    const parsed = this.parse(token);
    const binding = isBinding(place) ? place : undefined;
    let aad: Buffer;
    if (parsed.version === 2) {
      if (!binding) {
        throw new PhiCryptoError('BAD_BINDING', 'an enc:v2 PHI token can only be read with the binding of its place');
      }
      assertBinding(binding);
      aad = bindingAad(binding);
    } else {
      aad = Buffer.from(binding ? (binding.legacyAad ?? '') : ((place as string | undefined) ?? ''), 'utf8');
    }
    const dek = this.unwrapDek(parsed, binding);
    try {
      return open(dek, parsed.iv, parsed.tag, parsed.ciphertext, aad).toString('utf8');
    } catch {
      throw new PhiCryptoError(
        'DECRYPT_FAILED',
        binding
          ? `PHI value at ${describeBinding(binding)} failed authentication (key "${parsed.kid}"): it was written for another row, column or department, or tampered with`
          : `PHI value failed authentication (key "${parsed.kid}"): tampered, or the associated data does not match`,
      );
    } finally {
      dek.fill(0);
    }
  }

  /** The token format version: 1 (legacy, unbound) or 2 (bound to its place). */
  versionOf(token: string): 1 | 2 {
    return this.parse(token).version;
  }

  /** True when the token's data key is wrapped under a KEK other than the active one. */
  needsRewrap(token: string): boolean {
    return this.parse(token).kid !== this.keyRing.activeKeyId;
  }

  /**
   * Re-wraps the token's data key under the active KEK; the data ciphertext, IV and tag are
   * kept byte for byte, so no plaintext is produced. A v2 token needs its binding (its data key
   * is bound to the department). Given a binding, a v1 token is upgraded instead: read with
   * binding.legacyAad and sealed again as a v2 token under the active KEK.
   */
  rewrap(token: string, binding?: PhiBinding): string {
    const parsed = this.parse(token);
    const active = this.keyRing.activeKeyId;
    if (parsed.version === 1 && binding) return this.encrypt(this.decrypt(token, binding), binding);
    if (parsed.kid === active) return token;
    if (parsed.version === 2 && !binding) {
      throw new PhiCryptoError(
        'BAD_BINDING',
        'an enc:v2 PHI token can only be rewrapped with the binding of its place',
      );
    }
    const dek = this.unwrapDek(parsed, binding);
    try {
      const departmentId = parsed.version === 2 ? binding!.departmentId : undefined;
      const wrapped = seal(this.keyRing.key(active), dek, wrapAad(active, departmentId));
      const wrappedDek = Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ct]);
      const prefix = parsed.version === 2 ? PHI_TOKEN_V2 : PHI_TOKEN_V1;
      return `${prefix}${active}:${b64url(wrappedDek)}:${parsed.dataPart}`;
    } finally {
      dek.fill(0);
    }
  }

  /** The KEK id a token was wrapped with. */
  keyIdOf(token: string): string {
    return this.parse(token).kid;
  }

  private unwrapDek(parsed: ParsedToken, binding: PhiBinding | undefined): Buffer {
    const kek = this.keyRing.key(parsed.kid);
    const w = parsed.wrappedDek;
    try {
      return open(
        kek,
        w.subarray(0, IV_BYTES),
        w.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
        w.subarray(IV_BYTES + TAG_BYTES),
        wrapAad(parsed.kid, parsed.version === 2 ? binding!.departmentId : undefined),
      );
    } catch {
      throw new PhiCryptoError(
        'DECRYPT_FAILED',
        parsed.version === 2
          ? `PHI data key at ${describeBinding(binding!)} could not be unwrapped with key "${parsed.kid}": another department's, tampered or wrong key`
          : `PHI data key could not be unwrapped with key "${parsed.kid}": tampered or wrong key`,
      );
    }
  }

  private parse(token: string): ParsedToken {
    // Errors say what is wrong with the shape, never echo the token.
    if (!this.isEncrypted(token))
      throw new PhiCryptoError('MALFORMED_TOKEN', 'value is not an enc:v1/enc:v2 PHI token');
    const version = token.startsWith(PHI_TOKEN_V2) ? 2 : 1;
    const name = `enc:v${version}`;
    const parts = token.slice(PHI_TOKEN_V1.length).split(':');
    if (parts.length !== 5)
      throw new PhiCryptoError('MALFORMED_TOKEN', `${name} PHI token must have 5 fields after the prefix`);
    const [kid, wrapped, iv, tag, ct] = parts as [string, string, string, string, string];
    if (!KEY_ID_PATTERN.test(kid))
      throw new PhiCryptoError('MALFORMED_TOKEN', `${name} PHI token has an invalid key id`);
    if (![wrapped, iv, tag, ct].every((p) => B64URL.test(p))) {
      throw new PhiCryptoError('MALFORMED_TOKEN', `${name} PHI token has a field that is not base64url`);
    }
    const parsed: ParsedToken = {
      version,
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
      throw new PhiCryptoError('MALFORMED_TOKEN', `${name} PHI token has fields of the wrong length`);
    }
    return parsed;
  }
}
