/** The Redis commands the deny-list uses (an ioredis client fits). */
export interface RevocationStore {
  exists(key: string): Promise<number>;
  set(key: string, value: string, expiryMode: 'EX', seconds: number): Promise<unknown>;
}

/** Answers whether a token id was revoked; JwtVerifier asks it on every request. */
export interface RevocationCheck {
  isRevoked(jti: string): Promise<boolean>;
}

/** Key prefix of deny-list entries in Redis, shared by every service and the revoke CLI. */
export const REVOKED_JTI_PREFIX = 'cit:auth:revoked-jti:';

const JTI_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * The jti deny-list in Redis. One EXISTS per request and no local cache: a revocation takes
 * effect at every service on the next request. An entry lives as long as the token could
 * still be accepted, then Redis drops it.
 */
export class TokenRevocationList implements RevocationCheck {
  constructor(private readonly redis: RevocationStore) {}

  /** True when the jti is on the deny-list; a Redis failure rejects (callers fail closed). */
  async isRevoked(jti: string): Promise<boolean> {
    return (await this.redis.exists(REVOKED_JTI_PREFIX + jti)) > 0;
  }

  /** Puts a jti on the deny-list for ttlSeconds (at least 1). */
  async revoke(jti: string, ttlSeconds: number): Promise<void> {
    if (!JTI_PATTERN.test(jti)) throw new Error('jti must be 1-200 printable characters without spaces');
    if (!Number.isFinite(ttlSeconds)) throw new Error('ttlSeconds must be a number');
    await this.redis.set(REVOKED_JTI_PREFIX + jti, '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }
}

/**
 * How long a revocation must last: until the token's exp when known, and never longer than
 * a token can be accepted at all (its maximum age), plus the clock tolerance.
 */
export function revocationTtlSeconds(
  options: { maxTokenAgeSeconds: number; clockToleranceSeconds: number; expiresAt?: number; issuedAt?: number },
  nowSeconds: number = Math.floor(Date.now() / 1000),
): number {
  const bounds = [options.maxTokenAgeSeconds];
  if (options.expiresAt !== undefined) bounds.push(options.expiresAt - nowSeconds);
  if (options.issuedAt !== undefined) bounds.push(options.issuedAt + options.maxTokenAgeSeconds - nowSeconds);
  return Math.max(1, Math.min(...bounds) + options.clockToleranceSeconds);
}
