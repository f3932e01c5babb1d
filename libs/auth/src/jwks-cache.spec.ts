import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { AuthenticationError, JWKS_CACHE_MAX_AGE_MS, JwtVerifier } from './jwt-verifier';

// A key the identity provider withdraws must stop working within a minute: the JWKS is cached
// 60 s at most (jose's default is ten minutes), even for a kid it already knows.
describe('JWKS caching', () => {
  let server: Server;
  let served: JWK[] = [];
  let fetches = 0;
  let url: string;
  let oldKey: KeyLike;
  let oldJwk: JWK;
  let newJwk: JWK;

  beforeAll(async () => {
    const a = await generateKeyPair('ES256');
    const b = await generateKeyPair('ES256');
    oldKey = a.privateKey;
    oldJwk = { ...(await exportJWK(a.publicKey)), kid: 'old', alg: 'ES256' };
    newJwk = { ...(await exportJWK(b.publicKey)), kid: 'new', alg: 'ES256' };
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => jest.restoreAllMocks());

  const signWithOld = () =>
    new SignJWT({ roles: ['officer'], department_id: 'dept-a' })
      .setProtectedHeader({ alg: 'ES256', kid: 'old', typ: 'at+jwt' })
      .setIssuer('https://issuer.test')
      .setAudience('cit-platform')
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime('10m')
      .setJti(randomUUID())
      .sign(oldKey);

  it('refetches the key set after 60 s and drops a withdrawn key', async () => {
    expect(JWKS_CACHE_MAX_AGE_MS).toBe(60_000);
    const verifier = new JwtVerifier({ jwksUrl: url, issuer: 'https://issuer.test' });
    served = [oldJwk];
    fetches = 0;
    await verifier.verify(await signWithOld());
    expect(fetches).toBe(1);

    // The IdP withdraws the old key. Within the minute the cached set still answers...
    served = [newJwk];
    const start = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(start + 30_000);
    await verifier.verify(await signWithOld());
    expect(fetches).toBe(1);

    // ...after it, the set is fetched again and the old key's tokens are refused.
    jest.spyOn(Date, 'now').mockReturnValue(start + 61_000);
    await expect(verifier.verify(await signWithOld())).rejects.toBeInstanceOf(AuthenticationError);
    expect(fetches).toBe(2);
  });
});
