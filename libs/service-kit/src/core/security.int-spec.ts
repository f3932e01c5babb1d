/**
 * Token hardening and the chassis' public routes, on real apps (createServiceApp: the chassis
 * every service runs) with the development issuer, PostgreSQL, Redis and the broker:
 * a revoked token is refused by every instance from the next request on, by the library and
 * by the CLI; a token older than the maximum age and one with the wrong typ are refused;
 * /metrics needs the ops token; a failing readiness check is named without its error.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import {
  defaultDevIssuerUrl,
  DEFAULT_AUDIENCE,
  issueDevToken,
  loadOrCreateDevSigningKey,
  TokenRevocationList,
} from '@cit/auth';
import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import { createTestDatabase, type TestDatabase } from '@cit/persistence';
import Redis from 'ioredis';
import { SignJWT } from 'jose';
import { createServiceApp } from '../bootstrap';
import { loadServiceEnv } from '../config/service-config';
import type { ServiceDefinition } from './service-definition';
import { REDIS } from './tokens';

const root = join(__dirname, '..', '..', '..', '..');

const chassisOnly: ServiceDefinition = {
  name: 'securitycheck',
  defaultPort: 0,
  title: 'security check',
  description: 'the chassis alone',
  entities: [...messagingEntities],
  migrations: [MessagingTables1732700000000, MessagingOutboxStatus1764633600000, MessagingTenancy1764806400000],
};

@Module({})
class NoFeature {}

describe('token hardening and public routes (chassis, real apps)', () => {
  const metricsToken = randomBytes(24).toString('hex');
  let db: TestDatabase;
  let apps: INestApplication[] = [];
  let urls: string[] = [];
  let redis: Redis;

  beforeAll(async () => {
    db = await createTestDatabase({
      entities: chassisOnly.entities,
      migrations: chassisOnly.migrations,
      prefix: 'security',
    });
    const env = loadServiceEnv({
      ...process.env,
      DATABASE_NAME: db.databaseName,
      DATABASE_USER: 'cit_test_runtime',
      METRICS_TOKEN: metricsToken,
    });
    // Two instances: a revocation written once holds at each of them.
    apps = [await createServiceApp(chassisOnly, NoFeature, env), await createServiceApp(chassisOnly, NoFeature, env)];
    for (const app of apps) await app.listen(0, '127.0.0.1');
    urls = await Promise.all(apps.map((a) => a.getUrl()));
    redis = new Redis(process.env.REDIS_URL as string);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    redis?.disconnect();
    await db?.drop();
  });

  const whoami = (url: string, token: string) =>
    fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
  const statuses = async (token: string) => Promise.all(urls.map(async (u) => (await whoami(u, token)).status));

  it('refuses a revoked token at every instance from the next request on (library)', async () => {
    const jti = `revoke-${randomUUID()}`;
    const token = await issueDevToken({ roles: ['officer'], department: 'dept-s', jti });
    // Accepted first, so each instance holds the verified token in memory.
    expect(await statuses(token)).toEqual([200, 200]);
    await new TokenRevocationList(redis).revoke(jti, 120);
    expect(await statuses(token)).toEqual([401, 401]);
    const body = (await (await whoami(urls[0], token)).json()) as { detail?: string };
    expect(body.detail).toBe('token revoked');
    // The entry expires on its own (bounded by the TTL given).
    expect(await redis.ttl(`cit:auth:revoked-jti:${jti}`)).toBeGreaterThan(0);
  });

  it('refuses a token revoked with `npm run token -- revoke --token`, the entry living as long as the token', async () => {
    const token = await issueDevToken({ roles: ['officer'], department: 'dept-s', ttl: 600 });
    expect(await statuses(token)).toEqual([200, 200]);
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'libs/auth/src/dev-issuer/token.cli.ts', 'revoke', '--token', token],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: '' });
    expect(cli.stdout).toMatch(/^revoked jti [0-9a-f-]{36} for \d+ s\n$/);
    const ttl = Number(/for (\d+) s/.exec(cli.stdout)?.[1]);
    // exp is 600 s away (plus 30 s tolerance): never the full maximum age.
    expect(ttl).toBeGreaterThan(500);
    expect(ttl).toBeLessThanOrEqual(630);
    expect(await statuses(token)).toEqual([401, 401]);
  });

  it('refuses a token revoked by its jti alone (`npm run token -- revoke <jti>`), for the whole maximum age', async () => {
    const jti = `cli-${randomUUID()}`;
    const token = await issueDevToken({ roles: ['officer'], department: 'dept-s', jti });
    expect(await statuses(token)).toEqual([200, 200]);
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'libs/auth/src/dev-issuer/token.cli.ts', 'revoke', jti],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect({ status: cli.status, stdout: cli.stdout }).toEqual({
      status: 0,
      stdout: `revoked jti ${jti} for ${Number(process.env.AUTH_MAX_TOKEN_AGE_SECONDS || 3600) + 30} s\n`,
    });
    expect(await statuses(token)).toEqual([401, 401]);
  });

  it('refuses a token older than AUTH_MAX_TOKEN_AGE_SECONDS even before its exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await issueDevToken({ roles: ['officer'], department: 'dept-s', issuedAt: now - 7200, ttl: 10800 });
    const res = await whoami(urls[0], old);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail?: string }).detail).toBe('token too old');
    const fresh = await issueDevToken({ roles: ['officer'], department: 'dept-s', issuedAt: now - 600, ttl: 3000 });
    expect((await whoami(urls[0], fresh)).status).toBe(200);
  });

  it('refuses a token whose typ is not at+jwt, though signed by the right key', async () => {
    const key = await loadOrCreateDevSigningKey();
    const sign = (typ: string) =>
      new SignJWT({ roles: ['officer'], department_id: 'dept-s' })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
        .setSubject('u-typ')
        .setIssuer(defaultDevIssuerUrl())
        .setAudience(process.env.AUTH_AUDIENCE || DEFAULT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomUUID())
        .sign(key.privateKey);
    const wrong = await whoami(urls[0], await sign('JWT'));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { detail?: string }).detail).toMatch(/\(typ\)$/);
    expect((await whoami(urls[0], await sign('at+jwt'))).status).toBe(200);
  });

  it('serves /metrics only with the ops token', async () => {
    const none = await fetch(`${urls[0]}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toContain('cit_http_requests_total');
    const user = await issueDevToken({ roles: ['ops'], department: 'dept-s' });
    expect((await fetch(`${urls[0]}/metrics`, { headers: { authorization: `Bearer ${user}` } })).status).toBe(401);
    const ops = await fetch(`${urls[0]}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(ops.status).toBe(200);
    expect(await ops.text()).toContain('cit_http_requests_total');
    // The health detail carries raw errors and broker addresses: the same ops token.
    expect((await fetch(`${urls[0]}/health/detail`)).status).toBe(401);
    expect((await fetch(`${urls[0]}/health/detail`, { headers: { authorization: `Bearer ${user}` } })).status).toBe(
      401,
    );
    const detail = await fetch(`${urls[0]}/health/detail`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(await detail.json()).toMatchObject({
      service: 'securitycheck',
      live: true,
      checks: { database: { ok: true }, redis: { ok: true }, broker: { ok: true, gatesReadiness: false } },
    });
  });

  it('answers readiness with the failed check named and no raw error text; fails closed without the deny-list', async () => {
    const before = (await (await fetch(`${urls[1]}/health/ready`)).json()) as { checks: Record<string, string> };
    // startup stays "failed" here (this chassis-only app never starts its transport): the others are ok.
    expect(before.checks).toMatchObject({ database: 'ok', redis: 'ok', outbox: 'ok' });
    // Instance 2 loses Redis for good: ioredis' own error ("Connection is closed.") must stay in the log.
    apps[1].get<Redis>(REDIS).disconnect();
    const res = await fetch(`${urls[1]}/health/ready`);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      status: 'unavailable',
      checks: { ...before.checks, redis: 'failed' },
    });
    expect(text).not.toMatch(/connection|closed|127\.0\.0\.1|6379|error/i);
    // Without its deny-list the instance refuses tokens it cannot check (503, not 401: retry elsewhere).
    const token = await issueDevToken({ roles: ['officer'], department: 'dept-s' });
    const refused = await whoami(urls[1], token);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { detail?: string }).detail).toBe('token revocation list unavailable');
  });
});
