// The development OIDC issuer (libs/auth/src/dev-issuer): started detached, serves the JWKS the
// services verify tokens with; token.cli.ts signs development tokens with the same key.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tail, writeAtomic } from './files.mjs';
import { fail, warn } from './log.mjs';
import { httpOk, tcpOpen } from './net.mjs';
import { FILES, LOCAL, ROOT } from './paths.mjs';
import { livePid, sleep, terminate } from './process.mjs';

const ISSUER_PORT = Number(process.env.DEV_ISSUER_PORT || 3999);

export const issuerBase = () => `http://127.0.0.1:${ISSUER_PORT}`;
export const jwksUrl = () => `${issuerBase()}/.well-known/jwks.json`;

/** Stops the issuer started by `up`; returns its pid, or null when none of ours ran. */
export async function stopIssuer() {
  const pid = livePid(FILES.issuerPid, 'issuer.cli');
  if (pid) await terminate(pid, { graceMs: 5000 });
  fs.rmSync(FILES.issuerPid, { force: true });
  return pid;
}

/** Key ids the issuer on ISSUER_PORT serves. */
async function servedKeyIds() {
  try {
    const res = await fetch(jwksUrl(), { signal: AbortSignal.timeout(2000) });
    const jwks = await res.json();
    return (jwks.keys ?? []).map((k) => k.kid);
  } catch {
    return [];
  }
}

/** The key id of this checkout's dev signing key, once it exists. */
function localKeyId() {
  try {
    return JSON.parse(fs.readFileSync(path.join(LOCAL, 'dev-issuer', 'private-key.jwk.json'), 'utf8')).kid;
  } catch {
    return undefined;
  }
}

/** The issuer on DEV_ISSUER_PORT: reused when it is this checkout's, else started with `env`. */
export async function ensureIssuer(env) {
  if (await httpOk(jwksUrl())) {
    // An issuer of another checkout signs with other keys: every token of this one would be refused.
    const kid = localKeyId();
    if (livePid(FILES.issuerPid, 'issuer.cli') || (kid && (await servedKeyIds()).includes(kid)))
      return { state: 'reused' };
    fail(
      `${jwksUrl()} is served by a dev issuer of another checkout (its keys are not this checkout's .local/dev-issuer key): stop it, or set DEV_ISSUER_PORT to another port`,
    );
  }
  if (!fs.existsSync(FILES.issuerCli)) {
    warn(`${path.relative(ROOT, FILES.issuerCli)} does not exist yet: dev OIDC issuer not started`);
    return { state: 'missing' };
  }
  let pid = livePid(FILES.issuerPid, 'issuer.cli');
  if (pid) {
    // Our issuer is alive but not answering: maybe still starting.
    for (let i = 0; i < 50 && !(await httpOk(jwksUrl())); i++) await sleep(200);
    if (await httpOk(jwksUrl())) return { state: 'reused' };
    warn(`dev issuer pid ${pid} does not answer: restarting it`);
    await terminate(pid);
  }
  fs.rmSync(FILES.issuerPid, { force: true });
  if (await tcpOpen('127.0.0.1', ISSUER_PORT)) {
    warn(
      `port ${ISSUER_PORT} is in use by another program that does not serve ${jwksUrl()}: dev issuer not started (set DEV_ISSUER_PORT)`,
    );
    return { state: 'port-in-use' };
  }
  const out = fs.openSync(FILES.issuerLog, 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} starting dev issuer on ${ISSUER_PORT}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.relative(ROOT, FILES.issuerCli)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env, DEV_ISSUER_PORT: String(ISSUER_PORT), PORT: String(ISSUER_PORT) },
  });
  fs.closeSync(out);
  let exited = null;
  child.once('exit', (code, sig) => (exited = sig || `code ${code}`));
  child.once('error', (e) => (exited = e.message));
  pid = child.pid;
  writeAtomic(FILES.issuerPid, `${pid}\n`);
  child.unref();
  const deadline = Date.now() + Number(process.env.CIT_ISSUER_TIMEOUT_S || 60) * 1000;
  while (Date.now() < deadline && !exited) {
    if (await httpOk(jwksUrl())) return { state: 'started', pid };
    await sleep(250);
  }
  if (!exited) await terminate(pid, { graceMs: 2000 });
  fs.rmSync(FILES.issuerPid, { force: true });
  warn(
    `the dev OIDC issuer did not answer ${jwksUrl()} (${exited ? `exited: ${exited}` : 'timeout'}); tokens cannot be verified:\n${tail(FILES.issuerLog)}`,
  );
  return { state: 'failed' };
}

/** A development token from token.cli.ts: { token } or { error } (its last stderr lines). */
export function issueToken(env, role, department) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.relative(ROOT, FILES.tokenCli), '--role', role, '--department', department],
    {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  if (r.status === 0) return { token: r.stdout.trim().split('\n').pop() };
  return { error: (r.stderr || '').trim().split('\n').slice(-3).join(' | ') };
}
