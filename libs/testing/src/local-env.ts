import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** Finds the repository root (the folder holding nx.json) from a starting folder. */
export function repoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`nx.json not found above ${from}`);
    dir = parent;
  }
}

/** The variables of an env file, read with Node's own parser (the one process.loadEnvFile uses). */
export function readEnvFile(file: string): Record<string, string> {
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** Loads .local/env into process.env without overriding variables already set. */
export function loadLocalEnv(root: string = repoRoot()): Record<string, string> {
  const file = join(root, '.local', 'env');
  if (!existsSync(file)) return {};
  // Not process.loadEnvFile: under jest it would fill the real process.env, not the test sandbox's copy.
  const vars = readEnvFile(file);
  for (const [k, v] of Object.entries(vars)) {
    if (process.env[k] === undefined) process.env[k] = v;
  }
  return vars;
}
