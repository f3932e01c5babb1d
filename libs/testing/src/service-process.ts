import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './local-env';
import { waitFor } from './wait-for';

/** A service started from its build output as a separate OS process, as in production. */
export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for assertions (e.g. no PHI in logs) and failure reports. */
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code, or the signal that ended it. */
  stop(timeoutMs?: number): Promise<number | NodeJS.Signals | null>;
}

function distEntry(service: string, file: string): string {
  const entry = join(repoRoot(), 'services', service, 'dist', file);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm test builds every project)`);
  return entry;
}

/** Runs a service's migrations in its own database (DATABASE_NAME in env). */
export function migrateServiceProcess(service: string, env: Record<string, string>): void {
  const result = spawnSync(process.execPath, [distEntry(service, 'migrate.js')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${service} migrate failed: ${result.stderr || result.stdout}`);
}

/** Starts a service process and waits until GET /health/ready answers 200. */
export async function startServiceProcess(
  service: string,
  port: number,
  env: Record<string, string>,
  readyTimeoutMs = 60000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [distEntry(service, 'main.js')], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
  // Nest re-raises SIGTERM after its shutdown hooks ran, so a graceful stop ends with that signal.
  // 'close' rather than 'exit': it comes after the output pipes are drained, so no last log line is missed.
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal)),
  );
  const url = `http://127.0.0.1:${port}`;
  const proc: ServiceProcess = {
    name: service,
    url,
    child,
    output: () => chunks.join(''),
    async stop(timeoutMs = 20000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await waitFor(
      `${service} readiness`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}`);
        const res = await fetch(`${url}/health/ready`);
        return res.status === 200;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 250 },
    );
  } catch (err) {
    await proc.stop(2000);
    throw new Error(`${(err as Error).message}\n--- ${service} output ---\n${proc.output().slice(-4000)}`);
  }
  return proc;
}
