import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from './dev-signing-key';

/**
 * Loads <repo>/.local/env (written by the infra script) into process.env without overriding
 * set variables, so the CLIs agree with the services on issuer, audience and port.
 * Kept here rather than imported from @cit/testing: CLIs run from source without a build.
 */
export function loadLocalEnvForCli(): void {
  let root: string;
  try {
    root = findRepoRoot();
  } catch {
    return;
  }
  const file = join(root, '.local', 'env');
  if (!existsSync(file)) return;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (!line || line.startsWith('#') || eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    if (process.env[name] === undefined) process.env[name] = value;
  }
}
