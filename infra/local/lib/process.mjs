// Child processes: logged synchronous runs, pid files, process groups, interruptible steps.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readText } from './files.mjs';
import { c, IS_CI, info } from './log.mjs';
import { ROOT } from './paths.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command synchronously with its output appended to a log file; true on exit 0. */
export function runLogged(cmd, args, logFile, opts = {}) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n$ ${cmd} ${args.join(' ')}   # ${new Date().toISOString()}\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', fd, fd], ...opts });
  fs.closeSync(fd);
  return r.status === 0;
}

/** True when `bin` is on PATH. */
export function which(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** True when the process exists and is not a zombie. */
export function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  const stat = readText(`/proc/${pid}/stat`);
  return !(stat && /^\d+ \(.*\) Z/.test(stat));
}

export function pidCmdline(pid) {
  return (readText(`/proc/${pid}/cmdline`) || '').split('\0').join(' ');
}

/** The pid from a pid file if that process is alive and its command line contains `marker`. */
export function livePid(pidFile, marker) {
  const pid = Number((readText(pidFile) || '').trim());
  if (!pidAlive(pid)) return null;
  const cmd = pidCmdline(pid);
  if (cmd && !cmd.includes(marker)) return null; // pid reused by something else
  return pid;
}

/** Sends a signal to a detached process group, or to the process alone if it has no group. */
export function signalGroup(pid, sig) {
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

/** SIGTERM a detached process group (or process), wait, then SIGKILL. */
export async function terminate(pid, { graceMs = 5000 } = {}) {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(100);
  if (pidAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (pidAlive(pid) && Date.now() < deadline + 2000) await sleep(50);
}

/** The environment of build/test/bench children: .local/env over ours, Nx without daemon, cloud or TUI. */
export function childEnv(localEnv) {
  const env = { ...process.env, ...localEnv, NX_TUI: 'false', NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  if (IS_CI) Object.assign(env, { FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' });
  return env;
}

/** The command line of a node_modules/.bin tool (npx when it is not installed). */
export function bin(name) {
  const p = path.join(ROOT, 'node_modules', '.bin', name);
  return fs.existsSync(p) ? [p] : ['npx', '--no-install', name];
}

const running = new Set();

/** Runs a command with inherited stdio in its own process group; resolves with { code, timedOut }. */
export function runStep(cmd, args, { env, timeoutMs = 0 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit', detached: true });
    running.add(child);
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          console.log(
            c(
              '31',
              `[cit] ${path.basename(cmd)} ${args.slice(0, 3).join(' ')} exceeded ${Math.round(timeoutMs / 60000)} min: killing it`,
            ),
          );
          signalGroup(child.pid, 'SIGTERM');
          setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 10_000).unref();
        }, timeoutMs)
      : null;
    child.once('error', (e) => {
      console.log(`[cit] cannot run ${cmd}: ${e.message}`);
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      resolve({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

/** Ctrl-C / SIGTERM reach the running steps' process groups; this process exits soon after. */
export function forwardInterrupts() {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      for (const child of running) signalGroup(child.pid, sig);
      setTimeout(() => process.exit(130), 3000).unref();
      if (!running.size) process.exit(130);
    });
  }
}

/** nx run-many -t build for every project. */
export async function buildAll(env) {
  info('building all projects: nx run-many -t build');
  const [cmd, ...pre] = bin('nx');
  return runStep(cmd, [...pre, 'run-many', '-t', 'build', '--outputStyle=static'], { env });
}
