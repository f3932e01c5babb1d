// Shared pieces of the benchmark scripts (bench/*.mjs, services/*/bench/*.mjs): a load generator
// cheap enough to leave the cores to what is measured, service processes on fresh databases,
// dev tokens, percentiles and the printed figures. Not itself a benchmark (bench/lib is not scanned).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** .local/env (written by `node infra/local/cit.mjs up`) under the variables already set. */
export function loadLocalEnv() {
  const file = join(ROOT, '.local', 'env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** BENCH_QUICK=1 or --quick: short phases, for a look rather than figures to keep. */
export const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');

/** Seconds of a measured phase: BENCH_SECONDS, else the quick or the full default. */
export function phaseSeconds(full, quick = Math.max(3, Math.round(full / 5))) {
  if (process.env.BENCH_SECONDS) return Number(process.env.BENCH_SECONDS);
  return QUICK ? quick : full;
}

export const runId = () => randomBytes(3).toString('hex');

export function sh(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, cwd: ROOT });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

/** A dev token (the local issuer's key) for a role of a department. */
export function devToken(role, department, env = process.env) {
  return sh(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'libs/auth/src/dev-issuer/token.cli.ts'),
      '--role',
      role,
      '--department',
      department,
    ],
    env,
  );
}

/** psql against the owner's base URL (DATABASE_URL) or a database of it. */
export function psql(sql, database) {
  const url = new URL(process.env.DATABASE_URL);
  if (database) url.pathname = `/${database}`;
  return sh('psql', [url.toString(), '-qAtc', sql]);
}

export function dropDatabase(database) {
  spawnSync('psql', [process.env.DATABASE_URL, '-qc', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`], {
    stdio: 'ignore',
  });
}

/** The owner's URL of a database (for seeding and the raw baseline; migrations use it too). */
export function ownerUrl(database) {
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs a built service's migrations into `database` (created if missing, runtime role granted). */
export function migrate(service, database, env = process.env) {
  sh(process.execPath, [join(ROOT, 'services', service, 'dist', 'migrate.js')], { ...env, DATABASE_NAME: database });
}

export function httpGetStatus(port, path) {
  return new Promise((resolve) =>
    http
      .get({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
      .on('error', () => resolve(0))
      .on('timeout', function () {
        this.destroy();
        resolve(0);
      }),
  );
}

export async function waitReady(port, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await httpGetStatus(port, '/health/ready')) === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready on ${port}`);
}

/**
 * Starts a built service as its own process on `database` and `port` (stdout discarded,
 * stderr shown), waits until it is ready. Returns { pid, stop() }.
 */
export async function startService(service, { port, database, env = {}, nodeArgs = [] }) {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'services', service, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), DATABASE_NAME: database, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitReady(port, service);
  return {
    pid: child.pid,
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in MB (0 when it is gone). */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (0 when it is gone). */
export function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/** A serialized HTTP/1.1 request (keep-alive); body is a string or object (sent as JSON). */
export function rawRequest(method, path, { headers = {}, body } = {}) {
  const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let head = `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: keep-alive\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  if (payload) head += `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n`;
  return Buffer.from(`${head}\r\n${payload}`);
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/**
 * One keep-alive connection speaking just enough HTTP/1.1 for a benchmark: writes a
 * pre-serialized request, reads the status line and content-length, skips the body. Far
 * cheaper than node:http per request, so the load generator takes less of the cores.
 */
class Connection {
  constructor(port) {
    this.port = port;
    this.socket = null;
    this.buf = null;
    this.pending = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: this.port, noDelay: true });
      s.once('connect', () => resolve());
      s.once('error', reject);
      s.on('data', (d) => this.onData(d));
      s.on('close', () => {
        this.socket = null;
        const p = this.pending;
        this.pending = null;
        if (p) p.resolve(0);
      });
      s.on('error', () => {});
      this.socket = s;
    });
  }

  async send(request) {
    if (!this.socket) await this.connect();
    return new Promise((resolve) => {
      this.pending = { resolve };
      this.buf = null;
      this.socket.write(request);
    });
  }

  onData(d) {
    this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    const end = this.buf.indexOf(CRLF2);
    if (end < 0) return;
    const head = this.buf.toString('latin1', 0, end);
    const m = CONTENT_LENGTH.exec(head);
    const total = end + 4 + (m ? Number(m[1]) : 0);
    if (this.buf.length < total) return;
    const status = Number(head.slice(9, 12));
    this.buf = null;
    const p = this.pending;
    this.pending = null;
    if (p) p.resolve(status);
    if (/\r\nconnection:\s*close/i.test(head)) this.socket?.destroy();
  }

  close() {
    this.socket?.destroy();
  }
}

/** Nearest-rank percentile of a sorted array. */
export const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Drives `port` with requests from next() (a Buffer from rawRequest, or { request, tag }):
 * closed loop with `connections` in flight, or open loop at `rate` per second (latency from
 * each request's scheduled time, so queueing shows). Closed loop counts what completes in the
 * measured window after warm-up; open loop every request due in it (unfinished after a 10 s
 * drain: status 0). Returns { seconds, done, ok, rate, statuses, latencies, byTag, unfinished }.
 */
export async function load({ port, next, connections = 48, rate = 0, seconds, warmupSeconds = 2, okStatus = 201 }) {
  const pool = Array.from({ length: rate > 0 ? Math.max(connections, 256) : connections }, () => new Connection(port));
  const start = Date.now();
  const measureFrom = start + warmupSeconds * 1000;
  const until = measureFrom + seconds * 1000;
  const latencies = [];
  const statuses = new Map();
  const byTag = new Map();
  let cutoff = Infinity;
  const record = (due, t0, status, tag) => {
    const now = Date.now();
    // Closed loop counts what completes in the window; open loop every request due in it,
    // however late it completes (until the drain cutoff below).
    if (due < measureFrom || (rate > 0 ? now > cutoff : now > until)) return;
    const ms = rate > 0 ? now - due : Number(process.hrtime.bigint() - t0) / 1e6;
    latencies.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (tag !== undefined) {
      let t = byTag.get(tag);
      if (!t) byTag.set(tag, (t = { latencies: [], ok: 0 }));
      t.latencies.push(ms);
      if (status === okStatus) t.ok++;
    }
  };
  let unfinished = 0;
  const unwrap = (r) => (Buffer.isBuffer(r) ? { request: r, tag: undefined } : r);
  if (rate > 0) {
    const idle = [...pool];
    const waiting = [];
    const inFlight = new Map(); // promise -> due time
    const run = (due) => {
      const conn = idle.pop();
      if (!conn) return waiting.push(due);
      const { request, tag } = unwrap(next());
      const t0 = process.hrtime.bigint();
      const p = conn.send(request).then((status) => {
        record(due, t0, status, tag);
        inFlight.delete(p);
        idle.push(conn);
        if (waiting.length) run(waiting.shift());
      });
      inFlight.set(p, due);
    };
    for (let i = 0; ; i++) {
      const due = start + (i * 1000) / rate;
      if (due > until) break;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      run(due);
    }
    // An overloaded service would take long to drain: after 10 s, what is still queued or in
    // flight counts as unfinished (status 0) with the latency it has so far (a lower bound).
    const drainUntil = Date.now() + 10_000;
    while ((inFlight.size || waiting.length) && Date.now() < drainUntil)
      await Promise.race([...inFlight.keys(), new Promise((r) => setTimeout(r, 50))]);
    const late = [...waiting, ...inFlight.values()];
    waiting.length = 0;
    for (const due of late) record(due, 0n, 0, undefined);
    unfinished = late.filter((due) => due >= measureFrom).length;
    cutoff = Date.now();
  } else {
    await Promise.all(
      pool.map(async (conn) => {
        while (Date.now() < until) {
          const { request, tag } = unwrap(next());
          const t0 = process.hrtime.bigint();
          const status = await conn.send(request);
          record(Date.now(), t0, status, tag);
          if (status === 0) await new Promise((r) => setTimeout(r, 10));
        }
      }),
    );
  }
  pool.forEach((c) => c.close());
  latencies.sort((a, b) => a - b);
  for (const t of byTag.values()) t.latencies.sort((a, b) => a - b);
  const ok = statuses.get(okStatus) ?? 0;
  return { seconds, done: latencies.length, ok, rate: ok / seconds, statuses, latencies, byTag, unfinished };
}

/** "p50 12.3 p95 20.1 p99 31.0 ms" of sorted latencies. */
export const latencyLine = (l) =>
  `p50 ${pct(l, 50).toFixed(1)} p95 ${pct(l, 95).toFixed(1)} p99 ${pct(l, 99).toFixed(1)} max ${(l.at(-1) ?? NaN).toFixed(1)} ms`;

/** Statuses other than the expected one, as "{...}" (empty when none). */
export function otherStatuses(result, okStatus = 201) {
  const other = [...result.statuses].filter(([s]) => s !== okStatus);
  return other.length ? ` other statuses ${JSON.stringify(Object.fromEntries(other))}` : '';
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US');
export const ratio = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(0)} %` : 'n/a');

/** Machine facts printed with every run: the figures mean little without them. */
export function machineLine() {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cpus = (readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) ?? []).length;
  return `machine: ${cpus} CPUs, load average ${load} at start, Node ${process.versions.node}${QUICK ? ', QUICK mode' : ''}`;
}
