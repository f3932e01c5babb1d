import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { KEY_ID_PATTERN, parsePhiKeys } from '../crypto/key-ring';

/** The key id a rotation on `now` adds: k<yyyymmdd>, then -2, -3 … when that id is taken. */
export function nextKeyId(existing: readonly string[], now: Date = new Date()): string {
  const base = `k${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
  let id = base;
  for (let n = 2; existing.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * A fresh 32-byte key, base64. Development keys start with the DEV-ONLY marker (as
 * infra/local makes them), which a production boot refuses wherever the key was copied to.
 */
export function generatePhiKey(development: boolean): string {
  const bytes = development ? Buffer.concat([Buffer.from('DEV-ONLY', 'ascii'), randomBytes(24)]) : randomBytes(32);
  return bytes.toString('base64');
}

/** PHI_KEYS and PHI_ACTIVE_KEY_ID after adding a key as active; the old keys stay for decryption. */
export function rotatedPhiKeys(
  phiKeys: string,
  keyId: string,
  key: string,
): { PHI_KEYS: string; PHI_ACTIVE_KEY_ID: string } {
  if (!KEY_ID_PATTERN.test(keyId)) throw new Error(`key id must match ${KEY_ID_PATTERN.source}`);
  const current = parsePhiKeys(phiKeys);
  if (current.has(keyId)) throw new Error(`key id "${keyId}" is already in PHI_KEYS`);
  const next = `${phiKeys.trim()},${keyId}:${key}`;
  parsePhiKeys(next); // the result must be a valid ring
  return { PHI_KEYS: next, PHI_ACTIVE_KEY_ID: keyId };
}

/** Reads an env file as the services do (util.parseEnv); {} when absent. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return parseEnv(text) as Record<string, string>;
}

/**
 * Sets variables in an env file in place (other lines, comments and order kept; missing ones
 * appended), atomically and readable by the owner only. Values are base64, ids and commas:
 * nothing an env file needs quoted.
 */
export function setEnvFileValues(path: string, values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!/^[A-Za-z0-9+/=_.:,-]*$/.test(v)) throw new Error(`${k}: value needs quoting, which this writer does not do`);
  }
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const pending = new Map(Object.entries(values));
  const out = lines.map((line) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (!m || !pending.has(m[1]!)) return line;
    const v = pending.get(m[1]!)!;
    pending.delete(m[1]!);
    return `${m[1]}=${v}`;
  });
  for (const [k, v] of pending) out.push(`${k}=${v}`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${out.join('\n')}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
