import type { ValueTransformer } from 'typeorm';
import type { FieldCipher } from './field-cipher';

/** Options of encryptedTransformer. */
export interface EncryptedTransformerOptions {
  /**
   * Constant associated data, e.g. "person.name", binding stored tokens to their column so
   * a token copied into another column does not decrypt. Row-level binding needs the row
   * id, which a transformer does not see: encrypt in the service for that.
   */
  aad?: string;
}

/**
 * TypeORM column transformer: encrypts on write, decrypts on read; null and undefined pass
 * through. Values are always encrypted (even ones that look like tokens), so a crafted
 * input cannot be stored as plaintext. Encrypted columns cannot be searched: use a blind
 * index column for lookups.
 */
export function encryptedTransformer(cipher: FieldCipher, options: EncryptedTransformerOptions = {}): ValueTransformer {
  return {
    to(value: string | null | undefined): string | null | undefined {
      if (value === null || value === undefined) return value;
      return cipher.encrypt(String(value), options.aad);
    },
    from(value: string | null | undefined): string | null | undefined {
      if (value === null || value === undefined) return value;
      return cipher.decrypt(value, options.aad);
    },
  };
}
