// Revokes a token at every service: puts its jti on the Redis deny-list until the token could
// no longer be accepted anyway.
//   npm run token -- revoke <jti>            (lasts AUTH_MAX_TOKEN_AGE_SECONDS + tolerance)
//   npm run token -- revoke --token <jwt>    (jti, exp and iat read from the token; its signature is not checked:
//                                             revoking a forged token is harmless)
//   node libs/auth/dist/revocation/revoke.cli.js <jti>   (in a service image)
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { decodeJwt } from 'jose';
import { DEFAULT_MAX_TOKEN_AGE_SECONDS } from '../jwt-verifier';
import { revocationTtlSeconds, TokenRevocationList } from './token-revocation-list';

const USAGE = `usage: npm run token -- revoke <jti> [--ttl <seconds>]
       npm run token -- revoke --token <jwt>
REDIS_URL (and AUTH_MAX_TOKEN_AGE_SECONDS) come from the environment, else .local/env.`;

function usage(problem?: string): never {
  if (problem) process.stderr.write(`revoke: ${problem}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

/** .local/env of a checkout, when there is one; set variables win (the same rule as the services). */
function loadCheckoutEnv(): void {
  for (let dir = resolve(__dirname); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) {
      const file = join(dir, '.local', 'env');
      if (existsSync(file)) process.loadEnvFile(file);
      return;
    }
  }
}

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) usage(`${name} must be a positive whole number of seconds`);
  return n;
}

/** Runs the revoke command with its arguments (after "revoke"). */
export async function runRevokeCli(argv: string[]): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { token: { type: 'string' }, ttl: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) usage();
  loadCheckoutEnv();
  const maxTokenAgeSeconds = positiveInt(
    process.env.AUTH_MAX_TOKEN_AGE_SECONDS,
    'AUTH_MAX_TOKEN_AGE_SECONDS',
    DEFAULT_MAX_TOKEN_AGE_SECONDS,
  );
  const clockToleranceSeconds = 30;
  let jti: string | undefined;
  let ttl: number;
  if (typeof values.token === 'string') {
    if (positionals.length) usage('give a jti or --token, not both');
    let claims: { jti?: unknown; exp?: unknown; iat?: unknown };
    try {
      claims = decodeJwt(values.token);
    } catch {
      usage('--token is not a JWT');
    }
    if (typeof claims.jti !== 'string') usage('the token has no jti');
    jti = claims.jti;
    ttl = revocationTtlSeconds({
      maxTokenAgeSeconds,
      clockToleranceSeconds,
      expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
      issuedAt: typeof claims.iat === 'number' ? claims.iat : undefined,
    });
  } else {
    if (positionals.length !== 1) usage('give exactly one jti');
    jti = positionals[0];
    ttl = positiveInt(
      values.ttl as string | undefined,
      '--ttl',
      revocationTtlSeconds({ maxTokenAgeSeconds, clockToleranceSeconds }),
    );
  }
  const url = process.env.REDIS_URL;
  if (!url) usage('REDIS_URL is required');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: 'cit-token-revoke' });
  try {
    await redis.connect();
    await new TokenRevocationList(redis).revoke(jti, ttl);
  } catch (err) {
    process.stderr.write(`revoke: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  } finally {
    redis.disconnect();
  }
  process.stdout.write(`revoked jti ${jti} for ${ttl} s\n`);
}

if (require.main === module) void runRevokeCli(process.argv.slice(2));
