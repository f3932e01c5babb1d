// PostgreSQL: reuse one that answers, else install and start Debian's (local URLs only).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { aptInstall } from './apt.mjs';
import { readText } from './files.mjs';
import { fail, info, logLine } from './log.mjs';
import { isLocalHost, tcpOpen } from './net.mjs';
import { DEFAULT_DATABASE_URL, DIR, ROOT } from './paths.mjs';
import { runLogged, sleep, which } from './process.mjs';

const require = createRequire(import.meta.url);

/** True when `select 1` succeeds at url (pg from node_modules, psql before npm ci). */
export async function pgQueryOk(url) {
  const u = new URL(url);
  if (!(await tcpOpen(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port || 5432)))) return false;
  try {
    const { Client } = require(path.join(ROOT, 'node_modules', 'pg'));
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND' && which('psql')) {
      return spawnSync('psql', [url, '-tAc', 'select 1'], { stdio: 'ignore', timeout: 5000 }).status === 0;
    }
    logLine(`postgres check failed: ${e && e.message}`);
    return false;
  }
}

function pgVersionDir() {
  try {
    return fs
      .readdirSync('/etc/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))[0];
  } catch {
    return undefined;
  }
}

/** PostgreSQL at DATABASE_URL (default local): { url, state: 'reused' | 'started' }. */
export async function ensurePostgres() {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (await pgQueryOk(url)) return { url, state: 'reused' };
  const u = new URL(url);
  if (!isLocalHost(u.hostname)) fail(`PostgreSQL at ${u.host} (DATABASE_URL) does not answer`);
  info('PostgreSQL not reachable: installing/starting it from Debian packages');
  aptInstall(['postgresql']);
  const ver = pgVersionDir();
  if (!ver) fail('PostgreSQL installed but /etc/postgresql has no cluster version directory');
  const log = path.join(DIR.logs, 'postgres-setup.log');
  if (!fs.existsSync(`/etc/postgresql/${ver}/main`)) runLogged('pg_createcluster', [ver, 'main'], log);
  // Local development uses trust authentication on the loopback interface (no password in DATABASE_URL).
  const hba = `/etc/postgresql/${ver}/main/pg_hba.conf`;
  const hbaText = readText(hba);
  if (hbaText && !u.password && !/^\s*host\s+all\s+all\s+127\.0\.0\.1\/32\s+trust/m.test(hbaText)) {
    info(`enabling trust authentication for 127.0.0.1 in ${hba} (local development)`);
    fs.writeFileSync(
      hba,
      `# added by infra/local/cit.mjs for local development\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${hbaText}`,
    );
    runLogged('pg_ctlcluster', ['--skip-systemctl-redirect', ver, 'main', 'reload'], log);
  }
  runLogged('pg_ctlcluster', ['--skip-systemctl-redirect', ver, 'main', 'start'], log);
  for (let i = 0; i < 60; i++) {
    if (await pgQueryOk(url)) return { url, state: 'started' };
    await sleep(500);
  }
  const port = Number(u.port || 5432);
  const hint = (await tcpOpen('127.0.0.1', port))
    ? ` (port ${port} is open but queries fail: another server or authentication?)`
    : '';
  fail(`PostgreSQL did not become ready at ${url}${hint}. See .local/logs/postgres-setup.log and /var/log/postgresql/`);
}

/** The non-owner runtime role of each service (cit_<name>) and of the tests' throwaway databases. */
export function runtimeRoles(services) {
  return [...services.map(([name]) => `cit_${name}`), 'cit_test_runtime'];
}

/**
 * Creates the runtime roles idempotently as the owner at url: LOGIN, NOSUPERUSER,
 * NOBYPASSRLS, no password (local trust authentication). An existing role is brought back
 * to those attributes, so a role someone made superuser by hand cannot slip through.
 * Grants on tables come from each service's migrate step, never from here.
 */
export async function ensureRuntimeRoles(url, roles) {
  const { Client } = require(path.join(ROOT, 'node_modules', 'pg'));
  const client = new Client({ connectionString: url, application_name: 'cit-local-roles' });
  await client.connect();
  try {
    for (const role of roles) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`invalid role name ${role}`);
      const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (!found.rowCount) {
        try {
          await client.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
        } catch (e) {
          // Another process created it between the check and the CREATE.
          if (e.code !== '42710' && e.code !== '23505') throw e;
        }
      }
      await client.query(`ALTER ROLE "${role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
