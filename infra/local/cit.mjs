#!/usr/bin/env node
// Local infrastructure and developer commands for the CIT Platform (plain Node ESM, no deps).
//
//   node infra/local/cit.mjs up            PostgreSQL, Redis, Kafka-protocol broker, dev OIDC issuer, .local/env
//   node infra/local/cit.mjs down          stop the broker and dev issuer started by `up`
//   node infra/local/cit.mjs status        what runs, without starting anything
//   node infra/local/cit.mjs test [paths]  up, build, jest unit/integration/e2e, lint; last line "N passed, N failed"
//   node infra/local/cit.mjs start         up, build, migrate + seed, run the five services
//   node infra/local/cit.mjs bench         up, build, run bench scripts
//   node infra/local/cit.mjs kafka <cmd>   send a control command to the local broker (ping, down 1, up all, ...)
//
// See infra/README.md for the environment variables.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const lib = require('./lib/topics.cjs');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOCAL = path.join(ROOT, '.local');
const DIR = {
  bin: path.join(LOCAL, 'bin'),
  logs: path.join(LOCAL, 'logs'),
  run: path.join(LOCAL, 'run'),
  kafka: path.join(LOCAL, 'kafka'),
};
const FILES = {
  env: path.join(LOCAL, 'env'),
  secrets: path.join(LOCAL, 'secrets.env'),
  lock: path.join(DIR.run, 'up.lock'),
  mockSrc: path.join(ROOT, 'infra/local/kafka-mock/launcher.c'),
  mockBin: path.join(DIR.bin, 'cit-kafka-mock'),
  mockPid: path.join(DIR.run, 'kafka-mock.pid'),
  mockReady: path.join(DIR.run, 'kafka-mock.ready'),
  mockTopics: path.join(DIR.run, 'kafka-mock.topics'),
  mockLog: path.join(DIR.logs, 'kafka-mock.log'),
  topics: path.join(DIR.kafka, 'topics.txt'),
  manifest: path.join(ROOT, 'libs/contracts/src/topics.manifest.json'),
  department: path.join(ROOT, 'infra/local/demo/department.json'),
  issuerCli: path.join(ROOT, 'libs/auth/src/dev-issuer/issuer.cli.ts'),
  tokenCli: path.join(ROOT, 'libs/auth/src/dev-issuer/token.cli.ts'),
  issuerPid: path.join(DIR.run, 'dev-issuer.pid'),
  issuerLog: path.join(DIR.logs, 'dev-issuer.log'),
  incidentExample: path.join(ROOT, 'libs/contracts/src/requests/create-incident.example.json'),
  demoIncidents: path.join(ROOT, 'infra/local/demo/incidents.ndjson'),
};
const SERVICES = [
  ['intake', 3001],
  ['triage', 3002],
  ['referral', 3003],
  ['conference', 3004],
  ['followup', 3005],
];
const IS_CI = /^(1|true|yes)$/i.test(process.env.CI || '');
const COLOR = !IS_CI && process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code, s) => (COLOR ? `\x1b[${code}m${s}\x1b[0m` : s);
const BROKER_COUNT = Number(process.env.CIT_KAFKA_BROKER_COUNT || 3);
const ISSUER_PORT = Number(process.env.DEV_ISSUER_PORT || 3999);
const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

// ---------------------------------------------------------------------------------------------
// small utilities

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function logLine(msg) {
  try {
    fs.mkdirSync(DIR.logs, { recursive: true });
    fs.appendFileSync(path.join(DIR.logs, 'cit.log'), `${new Date().toISOString()} [${process.pid}] ${msg}\n`);
  } catch {
    /* logging must never break the command */
  }
}
function info(msg) {
  console.log(`${c('36', '[cit]')} ${msg}`);
  logLine(msg);
}
function warn(msg) {
  console.log(`${c('33', '[cit] warning:')} ${msg}`);
  logLine(`warning: ${msg}`);
}
class CitError extends Error {}
const fail = (msg) => {
  throw new CitError(msg);
};

function ensureDirs() {
  for (const d of Object.values(DIR)) fs.mkdirSync(d, { recursive: true });
}

function writeAtomic(file, text, mode) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, mode ? { mode } : undefined);
  if (mode) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

const readText = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};
const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

function tail(file, lines = 20) {
  const text = readText(file);
  if (!text) return '';
  return text.trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
}

/** Runs a command synchronously with its output appended to a log file. */
function runLogged(cmd, args, logFile, opts = {}) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n$ ${cmd} ${args.join(' ')}   # ${new Date().toISOString()}\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', fd, fd], ...opts });
  fs.closeSync(fd);
  return r.status === 0;
}

function which(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

let aptUpdated = false;
function aptInstall(pkgs) {
  const missing = pkgs.filter((p) => !dpkgInstalled(p));
  if (!missing.length) return;
  if (!isRoot()) fail(`Debian packages missing: ${missing.join(' ')} — install them (sudo apt-get install -y ${missing.join(' ')}) and rerun`);
  const log = path.join(DIR.logs, 'apt.log');
  info(`installing Debian packages: ${missing.join(' ')} (log: .local/logs/apt.log)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    runLogged('apt-get', ['update'], log, { env });
    aptUpdated = true;
  }
  if (!runLogged('apt-get', ['install', '-y', '--no-install-recommends', ...missing], log, { env })) {
    fail(`apt-get install ${missing.join(' ')} failed:\n${tail(log)}`);
  }
}

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  // a zombie is not alive
  const stat = readText(`/proc/${pid}/stat`);
  return !(stat && /^\d+ \(.*\) Z/.test(stat));
}

function pidCmdline(pid) {
  return (readText(`/proc/${pid}/cmdline`) || '').split('\0').join(' ');
}

/** The pid from a pid file if that process is alive and its command line contains `marker`. */
function livePid(pidFile, marker) {
  const pid = Number((readText(pidFile) || '').trim());
  if (!pidAlive(pid)) return null;
  const cmd = pidCmdline(pid);
  if (cmd && !cmd.includes(marker)) return null; // pid reused by something else
  return pid;
}

/** SIGTERM a detached process group (or process), wait, then SIGKILL. */
async function terminate(pid, { graceMs = 5000 } = {}) {
  const send = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  send('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(100);
  if (pidAlive(pid)) send('SIGKILL');
  while (pidAlive(pid) && Date.now() < deadline + 2000) await sleep(50);
}

function tcpOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** One request/response exchange on a line or RESP protocol: writes `payload`, resolves with the text until `until` matches. */
function tcpExchange(host, port, payload, until, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`timeout talking to ${host}:${port}`));
    }, timeoutMs);
    s.once('connect', () => s.write(payload));
    s.on('data', (d) => {
      buf += d.toString('utf8');
      if (until(buf)) {
        clearTimeout(timer);
        s.end();
        s.destroy();
        resolve(buf);
      }
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.once('close', () => {
      clearTimeout(timer);
      if (!until(buf)) reject(new Error(`connection to ${host}:${port} closed`));
    });
  });
}

async function httpOk(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return res.status === 200;
  } catch {
    return false;
  }
}

function isLocalHost(host) {
  return ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host);
}

// ---------------------------------------------------------------------------------------------
// lock: `up`/`down` may run concurrently (several terminals, agents, test runners)

async function withLock(fn) {
  ensureDirs();
  const deadline = Date.now() + 180_000;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(FILES.lock, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number((readText(FILES.lock) || '').trim());
      const age = Date.now() - mtime(FILES.lock);
      if ((!pidAlive(holder) && age > 2000) || age > 600_000) {
        fs.rmSync(FILES.lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) fail(`another "cit up" (pid ${holder}) holds ${FILES.lock}; remove it if stale`);
      if (!announced) info(`waiting for another "cit up" (pid ${holder}) to finish`);
      announced = true;
      await sleep(300);
    }
  }
  const release = () => {
    if ((readText(FILES.lock) || '').trim() === String(process.pid)) fs.rmSync(FILES.lock, { force: true });
  };
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    release();
  }
}

// ---------------------------------------------------------------------------------------------
// (1) node_modules

/** True when every non-optional package of package-lock.json is installed at its locked version. */
function installMatchesLock(lockText, hiddenText) {
  try {
    const lock = JSON.parse(lockText).packages || {};
    const hidden = JSON.parse(hiddenText).packages || {};
    for (const [key, want] of Object.entries(lock)) {
      if (!key.startsWith('node_modules/') || want.optional) continue;
      const have = hidden[key];
      if (!have) return false;
      if (want.link ? have.resolved !== want.resolved : have.version !== want.version) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function ensureNodeModules() {
  const lock = path.join(ROOT, 'package-lock.json');
  const nm = path.join(ROOT, 'node_modules');
  const marker = path.join(nm, '.package-lock.json');
  if (!fs.existsSync(lock)) return 'no package-lock.json';
  if (fs.existsSync(marker) && mtime(lock) <= mtime(marker)) return 'up to date';
  // package-lock.json touched (checkout, copy) but the installed tree already matches it: no reinstall.
  if (fs.existsSync(marker) && installMatchesLock(fs.readFileSync(lock, 'utf8'), fs.readFileSync(marker, 'utf8'))) {
    const now = new Date();
    fs.utimesSync(marker, now, now);
    return 'up to date';
  }
  // npm ci empties node_modules; through a symlink it would empty another checkout's tree.
  if (fs.lstatSync(nm, { throwIfNoEntry: false })?.isSymbolicLink()) {
    fail('node_modules is a symlink and does not match package-lock.json: refusing to run npm ci through it');
  }
  if (process.env.CIT_SKIP_INSTALL === '1') {
    warn('node_modules does not match package-lock.json (CIT_SKIP_INSTALL=1: not reinstalling)');
    return 'out of date (skipped)';
  }
  info('installing dependencies: npm ci (log: .local/logs/npm-ci.log)');
  const log = path.join(DIR.logs, 'npm-ci.log');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (!runLogged(npm, ['ci', '--no-audit', '--no-fund'], log, { env: { ...process.env, FORCE_COLOR: '0' } })) {
    fail(`npm ci failed:\n${tail(log)}`);
  }
  return 'installed (npm ci)';
}

// ---------------------------------------------------------------------------------------------
// (2) PostgreSQL and Redis

async function pgQueryOk(url) {
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

async function ensurePostgres() {
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
    fs.writeFileSync(hba, `# added by infra/local/cit.mjs for local development\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${hbaText}`);
    runLogged('pg_ctlcluster', ['--skip-systemctl-redirect', ver, 'main', 'reload'], log);
  }
  runLogged('pg_ctlcluster', ['--skip-systemctl-redirect', ver, 'main', 'start'], log);
  for (let i = 0; i < 60; i++) {
    if (await pgQueryOk(url)) return { url, state: 'started' };
    await sleep(500);
  }
  const port = Number(u.port || 5432);
  const hint = (await tcpOpen('127.0.0.1', port)) ? ` (port ${port} is open but queries fail: another server or authentication?)` : '';
  fail(`PostgreSQL did not become ready at ${url}${hint}. See .local/logs/postgres-setup.log and /var/log/postgresql/`);
}

async function redisPingOk(url) {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const user = decodeURIComponent(u.username || '');
  const pass = decodeURIComponent(u.password || '');
  const resp = (...args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  let payload = '';
  let replies = 1;
  if (pass) {
    payload += user ? resp('AUTH', user, pass) : resp('AUTH', pass);
    replies++;
  }
  payload += resp('PING');
  try {
    const out = await tcpExchange(host, port, payload, (b) => b.split('\r\n').length > replies, 2000);
    return out.split('\r\n')[replies - 1] === '+PONG';
  } catch {
    return false;
  }
}

async function ensureRedis() {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if (await redisPingOk(url)) return { url, state: 'reused' };
  const u = new URL(url);
  if (!isLocalHost(u.hostname)) fail(`Redis at ${u.host} (REDIS_URL) does not answer PING`);
  const port = Number(u.port || 6379);
  if (await tcpOpen('127.0.0.1', port)) fail(`port ${port} is open but does not answer Redis PING (another program?)`);
  info('Redis not reachable: installing/starting it from Debian packages');
  aptInstall(['redis-server']);
  const log = path.join(DIR.logs, 'redis-setup.log');
  const args = ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no',
    '--logfile', path.join(DIR.logs, 'redis.log')];
  if (u.password) args.push('--requirepass', decodeURIComponent(u.password));
  runLogged('redis-server', args, log);
  for (let i = 0; i < 40; i++) {
    if (await redisPingOk(url)) return { url, state: 'started' };
    await sleep(250);
  }
  fail(`Redis did not become ready at ${url}. See .local/logs/redis.log`);
}

// ---------------------------------------------------------------------------------------------
// (3) Kafka-protocol broker (librdkafka mock cluster via infra/local/kafka-mock/launcher.c)

function expectedTopics() {
  const manifest = JSON.parse(fs.readFileSync(FILES.manifest, 'utf8'));
  const agencies = fs.existsSync(FILES.department) ? lib.agencyIdsFrom(fs.readFileSync(FILES.department, 'utf8')) : [];
  return lib.expandTopics(manifest, agencies);
}

function buildLauncher() {
  if (fs.existsSync(FILES.mockBin) && mtime(FILES.mockBin) >= mtime(FILES.mockSrc)) return false;
  aptInstall(['gcc', 'librdkafka-dev']);
  info('building the Kafka mock launcher (.local/bin/cit-kafka-mock)');
  const tmp = `${FILES.mockBin}.${process.pid}.tmp`;
  const log = path.join(DIR.logs, 'kafka-mock-build.log');
  if (!runLogged('gcc', ['-O2', '-o', tmp, FILES.mockSrc, '-lrdkafka'], log)) {
    fs.rmSync(tmp, { force: true });
    fail(`compiling ${path.relative(ROOT, FILES.mockSrc)} failed:\n${tail(log)}`);
  }
  fs.renameSync(tmp, FILES.mockBin);
  return true;
}

function parseHostPort(hp) {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
}

/** Sends one control command to the broker launcher and returns its one-line answer. */
async function kafkaControl(control, command, timeoutMs = 3000) {
  const { host, port } = parseHostPort(control);
  const out = await tcpExchange(host, port, `${command}\n`, (b) => b.includes('\n'), timeoutMs);
  return out.split('\n')[0].trim();
}

function readyInfo() {
  const text = readText(FILES.mockReady);
  return text ? lib.parseDotenv(text) : null;
}

/** The running launcher, if its pid is alive and its control channel answers ping. */
async function runningKafka() {
  const pid = livePid(FILES.mockPid, FILES.mockBin);
  if (!pid) return null;
  const ready = readyInfo();
  if (!ready || Number(ready.KAFKA_MOCK_PID) !== pid || !ready.KAFKA_MOCK_CONTROL) return null;
  // The control channel serves one client at a time (an idle client holds it up to 5 s): be patient
  // before declaring the broker dead, since restarting it wipes the in-memory topics under running tests.
  let answered = false;
  for (let attempt = 0; attempt < 2 && !answered; attempt++) {
    try {
      answered = (await kafkaControl(ready.KAFKA_MOCK_CONTROL, 'ping', 7000)) === 'ok pong';
    } catch {
      /* retry once */
    }
  }
  if (!answered) return null;
  return { pid, brokers: ready.KAFKA_BROKERS, control: ready.KAFKA_MOCK_CONTROL };
}

async function stopKafka() {
  const pid = livePid(FILES.mockPid, FILES.mockBin);
  if (pid) await terminate(pid, { graceMs: 5000 });
  for (const f of [FILES.mockPid, FILES.mockReady, FILES.mockTopics]) fs.rmSync(f, { force: true });
  return pid;
}

async function ensureKafka() {
  const topics = expectedTopics();
  const topicsText = lib.topicsFileText(topics);
  if (readText(FILES.topics) !== topicsText) writeAtomic(FILES.topics, topicsText);
  const rebuilt = buildLauncher();

  let running = await runningKafka();
  if (running && rebuilt) {
    info('launcher rebuilt: restarting the broker (in-memory topics are recreated from the manifest)');
    await stopKafka();
    running = null;
  }
  if (running) {
    // Topics added to the manifest (or new agencies) since the launch: create them on the fly.
    const launched = readText(FILES.mockTopics) || '';
    if (launched !== topicsText) {
      const had = new Set(launched.split('\n').map((l) => l.split(' ')[0]));
      for (const t of topics.filter((x) => !had.has(x.name))) {
        const ans = await kafkaControl(running.control, `topic ${t.name} ${t.partitions}`);
        if (!ans.startsWith('ok') && !/exist/i.test(ans)) warn(`creating topic ${t.name}: ${ans}`);
      }
      writeAtomic(FILES.mockTopics, topicsText);
    }
    return { ...running, state: 'reused', topics: topics.length };
  }

  // Stale state from a crashed or killed launcher (pid file and ready file may disagree after a crash).
  const stalePids = new Set([Number((readText(FILES.mockPid) || '').trim()), Number(readyInfo()?.KAFKA_MOCK_PID)]);
  for (const stale of stalePids) {
    if (stale && pidAlive(stale) && pidCmdline(stale).includes(FILES.mockBin)) {
      warn(`launcher pid ${stale} is alive but its control channel does not answer: restarting it`);
      await terminate(stale);
    }
  }
  for (const f of [FILES.mockPid, FILES.mockReady, FILES.mockTopics]) fs.rmSync(f, { force: true });

  const out = fs.openSync(FILES.mockLog, 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} starting cit-kafka-mock (${BROKER_COUNT} brokers, ${topics.length} topics)\n`);
  const child = spawn(
    FILES.mockBin,
    ['--brokers', String(BROKER_COUNT), '--control-port', process.env.CIT_KAFKA_CONTROL_PORT || '0', '--topics', FILES.topics, '--ready-file', FILES.mockReady],
    { cwd: ROOT, detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  let exited = null;
  child.once('exit', (code, sig) => (exited = sig || `code ${code}`));
  child.once('error', (e) => (exited = e.message));
  writeAtomic(FILES.mockPid, `${child.pid}\n`);
  child.unref();

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) break;
    const ready = readyInfo();
    if (ready && Number(ready.KAFKA_MOCK_PID) === child.pid) {
      const r = await runningKafka();
      if (r) {
        writeAtomic(FILES.mockTopics, topicsText);
        return { ...r, state: 'started', topics: topics.length };
      }
    }
    await sleep(100);
  }
  if (!exited) await terminate(child.pid, { graceMs: 1000 });
  fs.rmSync(FILES.mockPid, { force: true });
  fail(`the Kafka mock launcher did not become ready (${exited || 'timeout'}):\n${tail(FILES.mockLog)}`);
}

// ---------------------------------------------------------------------------------------------
// (4) dev OIDC issuer

const issuerBase = () => `http://127.0.0.1:${ISSUER_PORT}`;
const jwksUrl = () => `${issuerBase()}/.well-known/jwks.json`;

async function stopIssuer() {
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
    return JSON.parse(fs.readFileSync(path.join(ROOT, '.local', 'dev-issuer', 'private-key.jwk.json'), 'utf8')).kid;
  } catch {
    return undefined;
  }
}

async function ensureIssuer(env) {
  if (await httpOk(jwksUrl())) {
    // An issuer of another checkout signs with other keys: every token of this one would be refused.
    const kid = localKeyId();
    if (livePid(FILES.issuerPid, 'issuer.cli') || (kid && (await servedKeyIds()).includes(kid))) return { state: 'reused' };
    fail(`${jwksUrl()} is served by a dev issuer of another checkout (its keys are not this checkout's .local/dev-issuer key): stop it, or set DEV_ISSUER_PORT to another port`);
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
    warn(`port ${ISSUER_PORT} is in use by another program that does not serve ${jwksUrl()}: dev issuer not started (set DEV_ISSUER_PORT)`);
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
  warn(`the dev OIDC issuer did not answer ${jwksUrl()} (${exited ? `exited: ${exited}` : 'timeout'}); tokens cannot be verified:\n${tail(FILES.issuerLog)}`);
  return { state: 'failed' };
}

// ---------------------------------------------------------------------------------------------
// (5) dev secrets

function ensureSecrets() {
  const existing = readText(FILES.secrets);
  if (existing) {
    const vars = lib.parseDotenv(existing);
    if (vars.PHI_KEYS && vars.PHI_ACTIVE_KEY_ID && vars.BLIND_INDEX_KEY) return { vars, state: 'reused' };
  }
  const vars = {
    PHI_KEYS: `dev-1:${crypto.randomBytes(32).toString('base64')}`,
    PHI_ACTIVE_KEY_ID: 'dev-1',
    BLIND_INDEX_KEY: crypto.randomBytes(32).toString('base64'),
  };
  const header = 'Development-only secrets generated by infra/local/cit.mjs. Never use them in production.\nDeleting this file makes data encrypted with these keys unreadable.';
  writeAtomic(FILES.secrets, lib.formatDotenv(vars, header), 0o600);
  return { vars, state: 'generated' };
}

// ---------------------------------------------------------------------------------------------
// Docker mode

function dockerAvailable() {
  if (process.env.CIT_USE_DOCKER === '0') return false;
  if (!which('docker')) return false;
  if (spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status !== 0) return false;
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 10_000 }).status !== 0) {
    warn('a Docker engine runs but the "docker compose" plugin is missing: using local PostgreSQL/Redis and the Kafka mock');
    return false;
  }
  return true;
}

async function ensureDockerInfra() {
  const log = path.join(DIR.logs, 'docker-compose.log');
  info('Docker engine found: docker compose up -d --wait postgres redis kafka (log: .local/logs/docker-compose.log; CIT_USE_DOCKER=0 to use local services)');
  if (!runLogged('docker', ['compose', 'up', '-d', '--wait', 'postgres', 'redis', 'kafka'], log)) fail(`docker compose up failed:\n${tail(log)}`);
  const brokers = process.env.CIT_KAFKA_BROKERS || '127.0.0.1:9092';
  if (!runLogged(process.execPath, ['infra/provision/provision-topics.mjs', '--brokers', brokers, '--agencies-file', FILES.department, '--replication-factor', '1'], log)) {
    fail(`topic provisioning failed:\n${tail(log)}`);
  }
  return {
    pg: { url: process.env.DATABASE_URL || 'postgresql://postgres:postgres@127.0.0.1:5432/postgres', state: 'docker' },
    redis: { url: process.env.REDIS_URL || DEFAULT_REDIS_URL, state: 'docker' },
    kafka: { brokers, control: undefined, state: 'docker', topics: expectedTopics().length },
  };
}

// ---------------------------------------------------------------------------------------------
// up / down / status

async function up({ quiet = false } = {}) {
  const t0 = Date.now();
  ensureDirs();
  return withLock(async () => {
    const deps = ensureNodeModules();
    let pg, redis, kafka, faultBroker;
    if (dockerAvailable()) {
      ({ pg, redis, kafka } = await ensureDockerInfra());
      // Real Kafka has no fault injection: the messaging fault tests keep a mock cluster of their own.
      faultBroker = await ensureKafka();
    } else {
      [pg, redis] = [await ensurePostgres(), await ensureRedis()];
      if (process.env.CIT_KAFKA_BROKERS) {
        kafka = { brokers: process.env.CIT_KAFKA_BROKERS, control: undefined, state: 'external (CIT_KAFKA_BROKERS)', topics: 0 };
      } else {
        kafka = await ensureKafka();
      }
      faultBroker = kafka.control ? kafka : undefined;
    }
    const secrets = ensureSecrets();
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      KAFKA_BROKERS: kafka.brokers,
      // The Kafka-protocol mock with fault injection (the same cluster as KAFKA_BROKERS unless Docker runs real Kafka).
      KAFKA_MOCK_BROKERS: faultBroker?.brokers,
      KAFKA_MOCK_CONTROL: faultBroker?.control,
      AUTH_ISSUER: issuerBase(),
      AUTH_JWKS_URL: jwksUrl(),
      AUTH_AUDIENCE: process.env.AUTH_AUDIENCE || 'cit-platform',
      ...secrets.vars,
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    };
    const issuer = await ensureIssuer(env);
    const header = `Written by infra/local/cit.mjs up at ${new Date().toISOString()}. Regenerated on every run: do not edit.\nDATABASE_URL is the base; each service uses its own database cit_<service>.`;
    const text = lib.formatDotenv(env, header);
    const old = readText(FILES.env);
    if (!old || old.split('\n').slice(2).join('\n') !== text.split('\n').slice(2).join('\n')) writeAtomic(FILES.env, text, 0o600);
    if (!quiet) {
      const pad = (s) => s.padEnd(12);
      info(`infrastructure ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      console.log(`  ${pad('deps')}${deps}`);
      console.log(`  ${pad('PostgreSQL')}${redact(pg.url)} (${pg.state})`);
      console.log(`  ${pad('Redis')}${redact(redis.url)} (${redis.state})`);
      console.log(`  ${pad('Kafka')}${kafka.brokers} (${kafka.state}${kafka.control ? `, ${BROKER_COUNT} mock brokers, control ${kafka.control}` : ''}, ${kafka.topics} topics)`);
      console.log(`  ${pad('Dev issuer')}${issuerBase()} (${issuer.state})`);
      console.log(`  ${pad('Secrets')}.local/secrets.env (${secrets.state})`);
      console.log(`  ${pad('Env')}.local/env — logs in .local/logs/`);
    }
    return { env, started: { kafka: (faultBroker ?? kafka).state === 'started', issuer: issuer.state === 'started' } };
  });
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

async function down() {
  ensureDirs();
  await withLock(async () => {
    const k = await stopKafka();
    const i = await stopIssuer();
    info(`stopped: Kafka mock ${k ? `(pid ${k})` : '(was not running)'}, dev issuer ${i ? `(pid ${i})` : '(was not running or not ours)'}; PostgreSQL and Redis left running`);
    if (dockerAvailable()) info('Docker containers left running: docker compose down (add -v to drop volumes)');
  });
}

async function status() {
  const env = lib.parseDotenv(readText(FILES.env) || '');
  const kafka = await runningKafka();
  const rows = [
    ['PostgreSQL', (await pgQueryOk(env.DATABASE_URL || process.env.DATABASE_URL || DEFAULT_DATABASE_URL)) ? 'up' : 'down'],
    ['Redis', (await redisPingOk(env.REDIS_URL || process.env.REDIS_URL || DEFAULT_REDIS_URL)) ? 'up' : 'down'],
    ['Kafka mock', kafka ? `up pid ${kafka.pid}, brokers ${kafka.brokers}, control ${kafka.control}` : 'down'],
    ['Dev issuer', (await httpOk(jwksUrl())) ? `up ${issuerBase()}` : 'down'],
    ['.local/env', fs.existsSync(FILES.env) ? 'present' : 'missing'],
  ];
  for (const [k, v] of rows) console.log(`  ${k.padEnd(12)}${v}`);
}

async function kafkaCommand(words) {
  if (!words.length) fail('usage: cit kafka <ping|bootstraps|down <id|all>|up <id|all>|error <api> <code> <n>|clear-errors <api>|rtt <id|all> <ms>|topic <name> <partitions>>');
  const control = readyInfo()?.KAFKA_MOCK_CONTROL || process.env.KAFKA_MOCK_CONTROL || lib.parseDotenv(readText(FILES.env) || '').KAFKA_MOCK_CONTROL;
  if (!control) fail('no local Kafka mock is running (node infra/local/cit.mjs up)');
  let answer;
  try {
    answer = await kafkaControl(control, words.join(' '));
  } catch (e) {
    fail(`control channel ${control}: ${e.message} (is the broker running? node infra/local/cit.mjs up)`);
  }
  console.log(answer);
  if (!answer.startsWith('ok')) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// child processes for build/test/bench

function childEnv(localEnv) {
  const env = { ...process.env, ...localEnv, NX_TUI: 'false', NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  if (IS_CI) Object.assign(env, { FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' });
  return env;
}

function bin(name) {
  const p = path.join(ROOT, 'node_modules', '.bin', name);
  return fs.existsSync(p) ? [p] : ['npx', '--no-install', name];
}

let currentChild = null;

/** Runs a command with inherited stdio in its own process group; resolves with { code, timedOut }. */
function runStep(cmd, args, { env, timeoutMs = 0 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit', detached: true });
    currentChild = child;
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          console.log(c('31', `[cit] ${path.basename(cmd)} ${args.slice(0, 3).join(' ')} exceeded ${Math.round(timeoutMs / 60000)} min: killing it`));
          killGroup(child.pid, 'SIGTERM');
          setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000).unref();
        }, timeoutMs)
      : null;
    child.once('error', (e) => {
      console.log(`[cit] cannot run ${cmd}: ${e.message}`);
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      currentChild = null;
      resolve({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

function killGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* gone */
    }
  }
}

function forwardInterrupts() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      if (currentChild) killGroup(currentChild.pid, sig);
      setTimeout(() => process.exit(130), 3000).unref();
      if (!currentChild) process.exit(130);
    });
  }
}

async function build(env) {
  info('building all projects: nx run-many -t build');
  const [cmd, ...pre] = bin('nx');
  return runStep(cmd, [...pre, 'run-many', '-t', 'build', '--outputStyle=static'], { env });
}

// ---------------------------------------------------------------------------------------------
// test

async function test(filters) {
  forwardInterrupts();
  const rows = []; // { name, passed, failed, skipped, note }
  let jestTotal = 0;
  let env = childEnv({});
  try {
    const r = await up();
    env = childEnv(r.env);
    // The compose test validates docker-compose.yml with Debian's docker-compose (no engine needed).
    if (!which('docker-compose') && process.platform === 'linux' && which('apt-get')) aptInstall(['docker-compose']);
  } catch (e) {
    console.log(c('31', `[cit] infrastructure failed: ${e.message}`));
    rows.push({ name: 'infra up', passed: 0, failed: 1, skipped: 0, note: 'failed' });
  }

  if (process.env.CIT_SKIP_BUILD === '1') {
    info('CIT_SKIP_BUILD=1: build skipped');
  } else {
    const b = await build(env);
    rows.push({ name: 'build', passed: b.code === 0 ? 1 : 0, failed: b.code === 0 ? 0 : 1, skipped: 0, note: b.code === 0 ? 'ok' : `exit ${b.code}` });
  }

  fs.mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
  const perKindMin = Number(process.env.CIT_TEST_TIMEOUT_MIN || 20);
  const kinds = [
    ['unit', []],
    ['integration', ['--maxWorkers=2', '--forceExit']],
    ['e2e', ['--runInBand', '--forceExit']],
  ];
  const [jest, ...jestPre] = bin('jest');
  for (const [kind, extra] of kinds) {
    const report = path.join(ROOT, 'reports', `${kind}.json`);
    fs.rmSync(report, { force: true });
    info(`jest --selectProjects ${kind}${filters.length ? ` (filter: ${filters.join(' ')})` : ''}`);
    const args = [...jestPre, '--selectProjects', kind, ...extra, '--json', `--outputFile=${path.relative(ROOT, report)}`];
    if (IS_CI) args.push('--ci');
    // --selectProjects takes an array: a boolean flag must separate it from the positional path filters.
    args.push('--passWithNoTests', ...filters);
    const r = await runStep(jest, args, { env, timeoutMs: perKindMin * 60_000 });
    const row = { name: `jest ${kind}`, passed: 0, failed: 0, skipped: 0, note: '' };
    let json = null;
    try {
      json = JSON.parse(fs.readFileSync(report, 'utf8'));
    } catch {
      /* no report */
    }
    if (json) {
      Object.assign(row, lib.jestCounts(json));
      jestTotal += row.passed + row.failed + row.skipped;
      if (r.code !== 0 && row.failed === 0) {
        row.failed = 1;
        row.note = r.timedOut ? 'timed out' : `jest exited ${r.code} without failing tests`;
      } else row.note = r.code === 0 ? 'ok' : `exit ${r.code}`;
    } else if (r.code !== 0 || r.timedOut) {
      row.failed = 1;
      row.note = r.timedOut ? 'timed out before writing a report' : `jest exited ${r.code} before writing a report`;
    } else {
      row.note = 'no report written';
    }
    rows.push(row);
  }

  if (filters.length) {
    info('path filter given: lint skipped');
  } else {
    info('lint: nx run-many -t lint');
    const [nx, ...nxPre] = bin('nx');
    const l = await runStep(nx, [...nxPre, 'run-many', '-t', 'lint', '--outputStyle=static'], { env, timeoutMs: 15 * 60_000 });
    rows.push({ name: 'lint', passed: l.code === 0 ? 1 : 0, failed: l.code === 0 ? 0 : 1, skipped: 0, note: l.code === 0 ? 'ok' : `exit ${l.code}` });
  }

  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log('');
  console.log(c('1', 'Summary'));
  for (const r of rows) {
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    console.log(`  ${r.name.padEnd(18)}${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${String(r.skipped).padStart(4)} skipped  ${r.note}`);
  }
  if (jestTotal === 0) {
    console.log(c('31', '  no tests ran: counted as one failure'));
    total.failed += 1;
  }
  console.log('  reports: reports/unit.json, reports/integration.json, reports/e2e.json');
  console.log(lib.summaryLine(total));
  process.exitCode = total.failed > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// start

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOR = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '31' };
const SVC_COLOR = ['35', '34', '36', '33', '32'];

function pretty(line) {
  if (!line.startsWith('{')) return line;
  try {
    const o = JSON.parse(line);
    if (typeof o !== 'object' || o === null || o.msg === undefined) return line;
    const { level, time, msg, ...rest } = o;
    delete rest.pid;
    delete rest.hostname;
    const lvl = typeof level === 'number' ? level : ({ trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 })[level] || 30;
    const t = time ? new Date(time).toISOString().slice(11, 23) : '';
    let extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    if (extra.length > 400) extra = `${extra.slice(0, 400)}…`;
    return `${t} ${c(LEVEL_COLOR[lvl] || '0', (LEVELS[lvl] || String(level)).padEnd(5))} ${msg}${c('90', extra)}`;
  } catch {
    return line;
  }
}

function pipeLines(stream, prefix, logStream) {
  let buf = '';
  stream.on('data', (d) => {
    const s = d.toString('utf8');
    logStream.write(s);
    buf += s;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      process.stdout.write(`${prefix} ${pretty(line)}\n`);
    }
  });
  stream.on('end', () => {
    if (buf) process.stdout.write(`${prefix} ${pretty(buf)}\n`);
  });
}

function runNodeScript(file, env, label) {
  info(`${label}: node ${path.relative(ROOT, file)}`);
  const r = spawnSync(process.execPath, [file], { cwd: ROOT, env, stdio: 'inherit' });
  if (r.status !== 0) fail(`${label} failed (exit ${r.status ?? r.signal})`);
}

/**
 * The demo department's call history goes in through the intake API (bulk import with
 * events), so it flows on to triage like any report. CAD numbers make a re-run a no-op.
 */
async function seedDemoIncidents(env, port) {
  if (!fs.existsSync(FILES.demoIncidents) || !fs.existsSync(FILES.tokenCli)) return;
  const t = spawnSync(process.execPath, ['--import', 'tsx', path.relative(ROOT, FILES.tokenCli), '--role', 'admin', '--department', 'demo'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (t.status !== 0) return warn('demo incidents not seeded: no admin token');
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/imports?format=ndjson&emitEvents=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.stdout.trim()}`, 'content-type': 'application/x-ndjson' },
      body: fs.readFileSync(FILES.demoIncidents),
    });
    const summary = await res.json();
    if (res.ok) info(`demo incidents: ${summary.rowsImported} imported, ${summary.rowsDuplicate} already there (import ${summary.importId})`);
    else warn(`demo incidents not seeded: HTTP ${res.status} ${summary.title ?? ''}`);
  } catch (err) {
    warn(`demo incidents not seeded: ${err.message}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ''}`);
  }
}

async function start() {
  const { env: localEnv, started } = await up();
  const env = childEnv(localEnv);
  const b = await build(env);
  if (b.code !== 0) fail('build failed: fix the errors above and rerun npm start');

  const services = SERVICES.map(([name, port], idx) => ({
    name,
    port: Number(process.env[`${name.toUpperCase()}_PORT`] || port),
    color: SVC_COLOR[idx % SVC_COLOR.length],
  }));
  for (const s of services) {
    const dist = path.join(ROOT, 'services', s.name, 'dist');
    if (!fs.existsSync(path.join(dist, 'main.js'))) fail(`services/${s.name}/dist/main.js not found after the build`);
    const svcEnv = { ...env, PORT: String(s.port) };
    const migrate = path.join(dist, 'migrate.js');
    if (fs.existsSync(migrate)) runNodeScript(migrate, svcEnv, `${s.name} migrate`);
    else warn(`services/${s.name}/dist/migrate.js not found: migrations skipped`);
    const seed = path.join(dist, 'seed.js');
    if (fs.existsSync(seed)) runNodeScript(seed, { ...svcEnv, SEED_DEPARTMENT: 'demo' }, `${s.name} seed`);
  }

  let stopping = false;
  const children = new Map();
  for (const s of services) {
    const logStream = fs.createWriteStream(path.join(DIR.logs, `${s.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [path.join('services', s.name, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...env, PORT: String(s.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: Ctrl-C reaches only this script, which stops services in order
    });
    const prefix = c(s.color, s.name.padEnd(10));
    pipeLines(child.stdout, prefix, logStream);
    pipeLines(child.stderr, prefix, logStream);
    s.exited = null;
    // 'close' (not 'exit'): fires once the output pipes are drained, so no last log line is lost.
    child.once('close', (code, sig) => {
      s.exited = sig || `code ${code}`;
      children.delete(s.name);
      if (!stopping) console.log(c('31', `[cit] ${s.name} exited (${s.exited})`));
    });
    children.set(s.name, child);
  }

  const shutdown = async (why, code = 0) => {
    if (stopping) return;
    stopping = true;
    info(`${why}: stopping services`);
    for (const ch of children.values()) killGroup(ch.pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (children.size && Date.now() < deadline) await sleep(100);
    for (const [name, ch] of children) {
      warn(`${name} did not stop within 15 s: SIGKILL`);
      killGroup(ch.pid, 'SIGKILL');
    }
    if (started.kafka) await stopKafka().then(() => info('Kafka mock stopped (started by this run)'));
    if (started.issuer) await stopIssuer().then(() => info('dev issuer stopped (started by this run)'));
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown('interrupted'));
  process.on('SIGTERM', () => shutdown('terminated'));
  process.on('exit', () => {
    for (const ch of children.values()) killGroup(ch.pid, 'SIGTERM');
  });

  const timeoutS = Number(process.env.CIT_READY_TIMEOUT_S || 120);
  const deadline = Date.now() + timeoutS * 1000;
  const pending = new Set(services);
  while (pending.size) {
    for (const s of [...pending]) {
      if (s.exited) {
        await shutdown(`${s.name} exited before becoming ready (${s.exited}); see .local/logs/${s.name}.log`, 1);
        return;
      }
      if (await httpOk(`http://127.0.0.1:${s.port}/health/ready`, 1500)) {
        pending.delete(s);
        info(`${s.name} ready on ${s.port}`);
      }
    }
    if (!pending.size) break;
    if (Date.now() > deadline) {
      await shutdown(`not ready after ${timeoutS}s: ${[...pending].map((s) => `${s.name} (http://127.0.0.1:${s.port}/health/ready)`).join(', ')} — see .local/logs/<service>.log; CIT_READY_TIMEOUT_S raises the limit`, 1);
      return;
    }
    await sleep(500);
  }

  let token = '';
  if (fs.existsSync(FILES.tokenCli)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.relative(ROOT, FILES.tokenCli), '--role', 'coordinator', '--department', 'demo'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status === 0) token = r.stdout.trim().split('\n').pop();
    else warn(`token.cli.ts failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  } else warn(`${path.relative(ROOT, FILES.tokenCli)} not found: no development token`);

  await seedDemoIncidents(env, services[0].port);

  console.log('');
  console.log(c('1', 'CIT Platform is running (Ctrl-C stops it)'));
  for (const s of services) {
    const base = `http://127.0.0.1:${s.port}`;
    console.log(`  ${s.name.padEnd(11)} API ${base}/v1   docs ${base}/docs   metrics ${base}/metrics   ready ${base}/health/ready`);
  }
  console.log(`  dev issuer  ${issuerBase()}/.well-known/jwks.json   logs .local/logs/`);
  console.log('');
  if (token) {
    console.log(c('1', 'Development token (role coordinator, department demo):'));
    console.log(`TOKEN=${token}`);
  } else {
    console.log('TOKEN=<run: node --import tsx libs/auth/src/dev-issuer/token.cli.ts --role coordinator --department demo>');
  }
  console.log('');
  const intake = services[0];
  const body = readText(FILES.incidentExample);
  if (body) {
    let json = body;
    try {
      json = JSON.stringify(JSON.parse(body));
    } catch {
      /* print as is */
    }
    console.log(c('1', 'Sample request:'));
    console.log(`curl -sS -X POST http://127.0.0.1:${intake.port}/v1/incidents \\
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
  -d '${json.replace(/'/g, "'\\''")}'`);
  } else {
    console.log(`Sample request: ${path.relative(ROOT, FILES.incidentExample)} not found yet; POST it to http://127.0.0.1:${intake.port}/v1/incidents with -H "Authorization: Bearer $TOKEN" once it exists.`);
  }
  console.log('');
  await new Promise(() => {}); // run until a signal
}

// ---------------------------------------------------------------------------------------------
// bench

function findBenchScripts() {
  const found = [];
  const scan = (dir, exts) => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) if (exts.some((e) => f.endsWith(e))) found.push(path.join(dir, f));
  };
  scan(path.join(ROOT, 'bench'), ['.mjs']);
  const svcRoot = path.join(ROOT, 'services');
  if (fs.existsSync(svcRoot)) for (const s of fs.readdirSync(svcRoot).sort()) scan(path.join(svcRoot, s, 'bench'), ['.mjs', '.ts']);
  return found.filter((f) => !f.endsWith('.d.ts'));
}

async function bench(args) {
  forwardInterrupts();
  const { env: localEnv } = await up();
  const env = childEnv(localEnv);
  const scripts = findBenchScripts();
  if (!scripts.length) {
    info('no benchmark scripts yet (bench/*.mjs or services/*/bench/*.{mjs,ts})');
    return;
  }
  const b = await build(env);
  if (b.code !== 0) fail('build failed');
  let failed = 0;
  for (const s of scripts) {
    const rel = path.relative(ROOT, s);
    info(`bench ${rel}`);
    const nodeArgs = s.endsWith('.ts') ? ['--import', 'tsx', rel, ...args] : [rel, ...args];
    const r = await runStep(process.execPath, nodeArgs, { env });
    if (r.code !== 0) {
      failed++;
      warn(`${rel} exited ${r.code}`);
    }
  }
  info(`${scripts.length - failed}/${scripts.length} benchmark scripts succeeded`);
  if (failed) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------

const USAGE = `usage: node infra/local/cit.mjs <command>
  up                 start/reuse PostgreSQL, Redis, Kafka broker, dev issuer; write .local/env
  down               stop the Kafka broker and dev issuer started by up
  status             show what runs
  test [paths...]    up, build, jest unit + integration + e2e, lint; last line "N passed, N failed"
  start              up, build, migrate, seed, run the five services
  bench [args...]    up, build, run bench scripts
  kafka <command>    send a control command to the local broker: ping, bootstraps, down <id|all>,
                     up <id|all>, error <api-key> <code> <n>, clear-errors <api-key>, rtt <id|all> <ms>,
                     topic <name> <partitions>`;

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'up':
      await up();
      break;
    case 'down':
      await down();
      break;
    case 'status':
      await status();
      break;
    case 'test':
      await test(rest.filter((a) => a !== '--'));
      break;
    case 'start':
      await start();
      break;
    case 'bench':
      await bench(rest.filter((a) => a !== '--'));
      break;
    case 'kafka':
      await kafkaCommand(rest);
      break;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      break;
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main().catch((e) => {
  const msg = e instanceof CitError ? e.message : e.stack || String(e);
  console.error(c('31', `[cit] error: ${msg}`));
  logLine(`error: ${msg}`);
  if (process.argv[2] === 'test') console.log('0 passed, 1 failed');
  process.exit(1);
});
