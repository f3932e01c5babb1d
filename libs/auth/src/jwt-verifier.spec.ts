import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, createLocalJWKSet, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { AuthenticationError, JwtVerifier, type AuthOptions } from './jwt-verifier';
import { revocationTtlSeconds, type RevocationCheck } from './revocation/token-revocation-list';

interface TokenShape {
  expSeconds?: number;
  /** iat relative to now, in seconds (negative = in the past). */
  iatOffset?: number;
  typ?: string | null;
  jti?: string | null;
}

describe('JwtVerifier', () => {
  const issuer = 'http://issuer.test';
  let privateKey: KeyLike;
  let keys: jest.MockedFunction<JWTVerifyGetKey>;

  const sign = ({ expSeconds = 600, iatOffset = 0, typ = 'at+jwt', jti = randomUUID() }: TokenShape = {}) => {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT({ roles: ['officer'], department_id: 'dept-a' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...(typ === null ? {} : { typ }) })
      .setIssuer(issuer)
      .setAudience('cit-platform')
      .setSubject('user-1')
      .setIssuedAt(now + iatOffset)
      .setExpirationTime(now + expSeconds);
    if (jti !== null) jwt = jwt.setJti(jti);
    return jwt.sign(privateKey);
  };
  const verifier = (options: Partial<AuthOptions> = {}) =>
    new JwtVerifier({ jwksUrl: 'http://unused.test/jwks', issuer, ...options }, keys);
  const reasonOf = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (err: unknown) => (err instanceof AuthenticationError ? `${err.reason}: ${err.message}` : String(err)),
    );

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    const local = createLocalJWKSet({ keys: [jwk] });
    keys = jest.fn((header, token) => local(header, token)) as unknown as jest.MockedFunction<JWTVerifyGetKey>;
  });

  it('checks a token signature once and answers repeats from memory', async () => {
    const v = verifier();
    const token = await sign();
    keys.mockClear();
    const first = await v.verify(token);
    const second = await v.verify(token);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ subject: 'user-1', departmentId: 'dept-a' });
    expect(keys).toHaveBeenCalledTimes(1);
  });

  it('never serves a token past its expiry from memory', async () => {
    const v = verifier({ clockToleranceSeconds: 0 });
    const token = await sign({ expSeconds: 1 });
    await v.verify(token);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(v.verify(token)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses a token older than the maximum age even when it has not expired', async () => {
    const v = verifier({ maxTokenAgeSeconds: 3600, clockToleranceSeconds: 30 });
    expect(await reasonOf(v.verify(await sign({ iatOffset: -3600 - 31, expSeconds: 3600 })))).toBe(
      'expired_token: token too old',
    );
    expect(await reasonOf(v.verify(await sign({ iatOffset: -3000, expSeconds: 3600 })))).toBe('accepted');
  });

  it('requires the configured typ header (at+jwt by default)', async () => {
    expect(await reasonOf(verifier().verify(await sign({ typ: 'JWT' })))).toBe(
      'invalid_token: invalid token: ERR_JWT_CLAIM_VALIDATION_FAILED (typ)',
    );
    expect(await reasonOf(verifier().verify(await sign({ typ: null })))).toMatch(/^invalid_token: .*\(typ\)$/);
    expect(await reasonOf(verifier().verify(await sign({ typ: 'application/at+jwt' })))).toBe('accepted');
    expect(await reasonOf(verifier({ tokenType: 'JWT' }).verify(await sign({ typ: 'JWT' })))).toBe('accepted');
  });

  it('requires a jti', async () => {
    expect(await reasonOf(verifier().verify(await sign({ jti: null })))).toMatch(/^invalid_token: .*\(jti\)$/);
  });

  it('asks the deny-list on every request, cached signature or not, and fails closed when it cannot answer', async () => {
    const revoked = new Set<string>();
    let down = false;
    const revocations: RevocationCheck = {
      isRevoked: jest.fn(async (jti: string) => {
        if (down) throw new Error('ECONNREFUSED 10.0.0.5:6379');
        return revoked.has(jti);
      }),
    };
    const v = verifier({ revocations });
    const token = await sign({ jti: 'jti-1' });
    expect(await reasonOf(v.verify(token))).toBe('accepted');
    revoked.add('jti-1');
    expect(await reasonOf(v.verify(token))).toBe('revoked_token: token revoked');
    revoked.clear();
    down = true;
    expect(await reasonOf(v.verify(token))).toBe('revocation_unavailable: token revocation list unavailable');
    expect(revocations.isRevoked).toHaveBeenCalledTimes(3);
  });
});

describe('revocationTtlSeconds', () => {
  const now = 1_000_000;
  it('lasts until the token expires, never longer than the maximum age, plus the tolerance', () => {
    const base = { maxTokenAgeSeconds: 3600, clockToleranceSeconds: 30 };
    expect(revocationTtlSeconds(base, now)).toBe(3630);
    expect(revocationTtlSeconds({ ...base, expiresAt: now + 600 }, now)).toBe(630);
    expect(revocationTtlSeconds({ ...base, expiresAt: now + 86400, issuedAt: now - 600 }, now)).toBe(3030);
    expect(revocationTtlSeconds({ ...base, expiresAt: now - 600 }, now)).toBe(1);
  });
});
