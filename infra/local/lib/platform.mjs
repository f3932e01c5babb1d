// The five services as `npm start` runs them: migrations and seeds, then one process each with
// its output copied to .local/logs/<service>.log and printed (rate-limited) with a prefix.
// Shared by the start command and the whole-platform benchmark.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { c, fail, info, warn } from './log.mjs';
import { DIR, ROOT, SERVICES } from './paths.mjs';
import { pipeLines } from './pretty-log.mjs';

const SVC_COLOR = ['35', '34', '36', '33', '32'];

/** The services with their ports (<NAME>_PORT overrides the default) and terminal colours. */
export function platformServices(portOf = (name, port) => Number(process.env[`${name.toUpperCase()}_PORT`] || port)) {
  return SERVICES.map(([name, port], idx) => ({
    name,
    port: portOf(name, port),
    color: SVC_COLOR[idx % SVC_COLOR.length],
  }));
}

function runNodeScript(file, env, label) {
  info(`${label}: node ${path.relative(ROOT, file)}`);
  const r = spawnSync(process.execPath, [file], { cwd: ROOT, env, stdio: 'inherit' });
  if (r.status !== 0) fail(`${label} failed (exit ${r.status ?? r.signal})`);
}

/** Runs each service's built migrations, then its seed for `department`. */
export function migrateAndSeed(services, env, { department = 'demo', envFor = () => ({}) } = {}) {
  for (const s of services) {
    const dist = path.join(ROOT, 'services', s.name, 'dist');
    if (!fs.existsSync(path.join(dist, 'main.js'))) fail(`services/${s.name}/dist/main.js not found after the build`);
    const svcEnv = { ...env, PORT: String(s.port), ...envFor(s) };
    const migrate = path.join(dist, 'migrate.js');
    if (fs.existsSync(migrate)) runNodeScript(migrate, svcEnv, `${s.name} migrate`);
    else warn(`services/${s.name}/dist/migrate.js not found: migrations skipped`);
    const seed = path.join(dist, 'seed.js');
    if (fs.existsSync(seed)) runNodeScript(seed, { ...svcEnv, SEED_DEPARTMENT: department }, `${s.name} seed`);
  }
}

/**
 * Starts every service in its own process group; output goes to .local/logs/<name>.log (or
 * `logDir`) and, at most CIT_LOG_LINES_PER_SECOND lines a second each, to `out`. Sets
 * s.exited when a service stops. Returns the children by service name.
 */
export function launchServices(
  services,
  env,
  { envFor = () => ({}), out = process.stdout, logDir = DIR.logs, onExit } = {},
) {
  const children = new Map();
  fs.mkdirSync(logDir, { recursive: true });
  for (const s of services) {
    const logStream = fs.createWriteStream(path.join(logDir, `${s.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [path.join('services', s.name, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...env, PORT: String(s.port), ...envFor(s) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: Ctrl-C reaches only the supervisor, which stops services in order
    });
    const prefix = c(s.color, s.name.padEnd(10));
    pipeLines(child.stdout, prefix, logStream, { out });
    pipeLines(child.stderr, prefix, logStream, { out });
    s.exited = null;
    s.pid = child.pid;
    // 'close' (not 'exit'): fires once the output pipes are drained, so no last log line is lost.
    child.once('close', (code, sig) => {
      s.exited = sig || `code ${code}`;
      children.delete(s.name);
      onExit?.(s);
    });
    children.set(s.name, child);
  }
  return children;
}
