// The services' JSON log lines, readable in a terminal: time, level, message, the rest dimmed.
import { c } from './log.mjs';

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOR = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '31' };

/** One log line made readable; lines that are not pino-style JSON pass through. */
export function pretty(line) {
  if (!line.startsWith('{')) return line;
  try {
    const o = JSON.parse(line);
    if (typeof o !== 'object' || o === null || o.msg === undefined) return line;
    const { level, time, msg, ...rest } = o;
    delete rest.pid;
    delete rest.hostname;
    const lvl =
      typeof level === 'number'
        ? level
        : { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }[level] || 30;
    const t = time ? new Date(time).toISOString().slice(11, 23) : '';
    let extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    if (extra.length > 400) extra = `${extra.slice(0, 400)}…`;
    return `${t} ${c(LEVEL_COLOR[lvl] || '0', (LEVELS[lvl] || String(level)).padEnd(5))} ${msg}${c('90', extra)}`;
  } catch {
    return line;
  }
}

/** Copies a stream to a log file and prints it line by line with a prefix, made readable. */
export function pipeLines(stream, prefix, logStream) {
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
