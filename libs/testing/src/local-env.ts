import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

/** Parses dotenv text (KEY=VALUE lines, # comments, optional quotes). */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

/** Loads .local/env into process.env without overriding variables already set. */
export function loadLocalEnv(root: string = repoRoot()): Record<string, string> {
  const file = join(root, '.local', 'env');
  if (!existsSync(file)) return {};
  const vars = parseDotenv(readFileSync(file, 'utf8'));
  for (const [k, v] of Object.entries(vars)) {
    if (process.env[k] === undefined) process.env[k] = v;
  }
  return vars;
}
