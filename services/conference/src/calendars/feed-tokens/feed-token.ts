import { createHash, randomBytes } from 'node:crypto';

// 32 random bytes in base64url: 43 characters, 256 bits of entropy.
const TOKEN_BYTES = 32;
const TOKEN_FORM = /^[A-Za-z0-9_-]{43}$/;

/** A new feed token (256 random bits, base64url) and the hash that is all the database keeps. */
export function newFeedToken(): { token: string; hash: Buffer } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: feedTokenHash(token) };
}

/** SHA-256 of a token: a 256-bit secret needs no salt or slow hash, and equality is an index probe. */
export function feedTokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** True when value has the form of a token newFeedToken makes (anything else is refused before any query). */
export function isFeedTokenForm(value: string): boolean {
  return TOKEN_FORM.test(value);
}
