import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module, Param, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { SignJWT, generateKeyPair } from 'jose';
import request from 'supertest';
import {
  AuthModule,
  CurrentPrincipal,
  PartnerOnly,
  Public,
  Roles,
  TenantScope,
  loadOrCreateDevSigningKey,
  startDevIssuer,
  type DevIssuer,
  type Principal,
} from './index';

jest.setTimeout(30_000);

const records = [
  { id: 'r1', departmentId: 'dept-a', agencyId: 'agency-1' },
  { id: 'r2', departmentId: 'dept-b', agencyId: 'agency-1' },
];
const repo = {
  findOne: async ({ where }: { where: Record<string, unknown> }) =>
    records.find((r) => r.id === where.id && r.departmentId === where.departmentId) ?? null,
};

@Controller()
class TestController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Roles('coordinator', 'supervisor')
  @Get('referrals/:id')
  async referral(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return TenantScope.findOne(repo, principal, id);
  }

  @PartnerOnly()
  @Get('partner/referrals/:id')
  async partnerReferral(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const record = await TenantScope.findOne(repo, principal, id);
    return { id: record.id, agencyId: principal.agencyId };
  }
}

describe('AuthModule with the development issuer', () => {
  let keyDir: string;
  let issuer: DevIssuer;
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'cit-dev-issuer-'));
    issuer = await startDevIssuer({ port: 0, keyDir });

    @Module({
      imports: [
        AuthModule.forRootAsync({
          useFactory: () => ({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: 'cit-platform' }),
        }),
      ],
      controllers: [TestController],
    })
    class AppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const fastifyApp = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app = fastifyApp;
    await app.init();
    await fastifyApp.getHttpAdapter().getInstance().ready();
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await issuer?.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('serves discovery and public keys only; the private key file is 0600', async () => {
    const discovery = await http.get('/health').then(() => fetch(`${issuer.issuer}/.well-known/openid-configuration`));
    expect(await discovery.json()).toMatchObject({ issuer: issuer.issuer, jwks_uri: issuer.jwksUrl });
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(statSync(join(keyDir, 'private-key.jwk.json')).mode & 0o777).toBe(0o600);
    // A second start reuses the stored key.
    const again = await startDevIssuer({ port: 0, keyDir });
    const jwks2 = (await (await fetch(again.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
    await again.close();
    expect(jwks2.keys[0]!.kid).toBe(jwks.keys[0]!.kid);
  });

  it('lets @Public routes through without a token', async () => {
    await http.get('/health').expect(200, { status: 'ok' });
  });

  it('401 without a token or with garbage', async () => {
    await http.get('/me').expect(401);
    await http.get('/me').set('authorization', 'Basic dXNlcjpwYXNz').expect(401);
    await http.get('/me').set(bearer('not.a.jwt')).expect(401);
    await http.get('/me').set(bearer('garbage')).expect(401);
  });

  it('401 for an expired token', async () => {
    const token = await issuer.issueToken({ role: 'coordinator', department: 'dept-a', ttl: -300 });
    const res = await http.get('/me').set(bearer(token)).expect(401);
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('401 for a token signed by another key, even with the same kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const kid = ((await (await fetch(issuer.jwksUrl)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid;
    const forged = await new SignJWT({ roles: ['admin'], department_id: 'dept-a' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('mallory')
      .setIssuer(issuer.issuer)
      .setAudience('cit-platform')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    await http.get('/me').set(bearer(forged)).expect(401);
  });

  it('401 for a wrong issuer or audience', async () => {
    await http
      .get('/me')
      .set(bearer(await issuer.issueToken({ role: 'admin', department: 'dept-a', audience: 'other-app' })))
      .expect(401);
    // Same key, different issuer URL: only iss differs.
    const other = await startDevIssuer({ port: 0, keyDir });
    const wrongIss = await other.issueToken({ role: 'admin', department: 'dept-a' });
    await other.close();
    await http.get('/me').set(bearer(wrongIss)).expect(401);
  });

  it('401 for a token without a department, or with an empty or malformed one (a principal needs a tenant)', async () => {
    const key = await loadOrCreateDevSigningKey(keyDir);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ roles: ['admin'], ...claims })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
        .setSubject('u-no-dept')
        .setIssuer(issuer.issuer)
        .setAudience('cit-platform')
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(`no-dept-${JSON.stringify(claims)}`)
        .sign(key.privateKey);
    for (const claims of [
      {},
      { department_id: '' },
      { department_id: 'dept a; drop' },
      { department_id: 42 },
      { department_id: null },
    ]) {
      const res = await http.get('/me').set(bearer(await sign(claims)));
      expect({ claims, status: res.status }).toEqual({ claims, status: 401 });
    }
    // The same token with a department passes: the refusal above is the department's.
    await http
      .get('/me')
      .set(bearer(await sign({ department_id: 'dept-a' })))
      .expect(200);
  });

  it('authenticates a valid token and exposes the principal', async () => {
    const token = await issuer.issueToken({ role: 'coordinator', department: 'dept-a', subject: 'u-42' });
    const res = await http.get('/me').set(bearer(token)).expect(200);
    expect(res.body).toMatchObject({ subject: 'u-42', kind: 'staff', roles: ['coordinator'], departmentId: 'dept-a' });
  });

  it('403 for the wrong role', async () => {
    const token = await issuer.issueToken({ role: 'officer', department: 'dept-a' });
    await http.get('/referrals/r1').set(bearer(token)).expect(403);
  });

  it('scopes records to the caller department: 200 own, 404 other', async () => {
    const token = await issuer.issueToken({ role: 'coordinator', department: 'dept-a' });
    await http.get('/referrals/r1').set(bearer(token)).expect(200, records[0]);
    await http.get('/referrals/r2').set(bearer(token)).expect(404);
    await http.get('/referrals/missing').set(bearer(token)).expect(404);
  });

  it('binds partner tokens to their agency and keeps them off staff routes', async () => {
    const token = await issuer.issueToken({ department: 'dept-a', agency: 'agency-1' });
    const me = await http.get('/me').set(bearer(token)).expect(403);
    expect(me.body).not.toHaveProperty('subject');
    await http.get('/referrals/r1').set(bearer(token)).expect(403);
    await http.get('/partner/referrals/r1').set(bearer(token)).expect(200, { id: 'r1', agencyId: 'agency-1' });
    await http.get('/partner/referrals/r2').set(bearer(token)).expect(404);
    const staffToken = await issuer.issueToken({ role: 'admin', department: 'dept-a' });
    await http.get('/partner/referrals/r1').set(bearer(staffToken)).expect(403);
  });

  it('refuses to issue a partner token with staff roles', async () => {
    await expect(issuer.issueToken({ department: 'dept-a', agency: 'agency-1', role: 'admin' })).rejects.toThrow(
      /partner role/,
    );
  });
});
