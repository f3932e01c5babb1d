import { exportJWK, generateKeyPair, SignJWT, createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { AuthenticationError, JwtVerifier } from './jwt-verifier';

describe('JwtVerifier', () => {
  const issuer = 'http://issuer.test';
  let sign: (expSeconds: number) => Promise<string>;
  let keys: jest.MockedFunction<JWTVerifyGetKey>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const local = createLocalJWKSet({ keys: [jwk] });
    keys = jest.fn((header, token) => local(header, token)) as unknown as jest.MockedFunction<JWTVerifyGetKey>;
    sign = (expSeconds) =>
      new SignJWT({ roles: ['officer'], department_id: 'dept-a' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('cit-platform')
        .setSubject('user-1')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds)
        .sign(privateKey);
  });

  it('checks a token signature once and answers repeats from memory', async () => {
    const verifier = new JwtVerifier({ jwksUrl: 'http://unused.test/jwks', issuer }, keys);
    const token = await sign(600);
    keys.mockClear();
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ subject: 'user-1', departmentId: 'dept-a' });
    expect(keys).toHaveBeenCalledTimes(1);
  });

  it('never serves a token past its expiry from memory', async () => {
    const verifier = new JwtVerifier({ jwksUrl: 'http://unused.test/jwks', issuer, clockToleranceSeconds: 0 }, keys);
    const token = await sign(1);
    await verifier.verify(token);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(AuthenticationError);
  });
});
