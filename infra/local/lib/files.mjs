// Small file helpers: tolerant reads and atomic writes (other processes read these files concurrently).
import fs from 'node:fs';

/** The file's text, or null when it cannot be read. */
export const readText = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** The file's modification time in ms, 0 when it does not exist. */
export const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(file, text, mode) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, mode ? { mode } : undefined);
  if (mode) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

/** The last lines of a log file, indented, for error messages. */
export function tail(file, lines = 20) {
  const text = readText(file);
  if (!text) return '';
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join('\n');
}
