// The services' JSON log lines, readable in a terminal: time, level, message, the rest dimmed;
// rate-limited per service so printing never costs a core (the log files keep every line).
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

/** Lines per second per service printed in full; the rest are counted (the log file has them all). */
export const DEFAULT_LINES_PER_SECOND = Number(process.env.CIT_LOG_LINES_PER_SECOND || 20);

const LEVEL_KEY = Buffer.from('"level":');

/**
 * True for lines that must always reach the terminal: warnings and errors (pino's label or
 * number after "level":), and anything that is not a JSON log line (a stack trace, a crash).
 * Searches the bytes: no decoding or parsing for the lines that are only counted.
 */
function mustShow(buf, start, end) {
  if (buf[start] !== 0x7b /* { */) return true;
  const at = buf.indexOf(LEVEL_KEY, start);
  if (at < 0 || at >= end) return false;
  const v = at + LEVEL_KEY.length;
  const ch = buf[v] === 0x22 /* " */ ? buf[v + 1] : buf[v];
  // "warn" | "error" | "fatal", or 40 | 50 | 60
  return ch === 0x77 || ch === 0x65 || ch === 0x66 || (ch >= 0x34 && ch <= 0x36 && buf[v + 1] === 0x30);
}

/**
 * Copies a stream to a log file as it comes and prints it line by line with a prefix, made
 * readable. Under load the terminal gets at most `linesPerSecond` lines per second (warnings
 * and errors always), then one line saying how many were left out: a service logging every
 * request or event must not cost the platform a core just to be printed.
 */
export function pipeLines(
  stream,
  prefix,
  logStream,
  { linesPerSecond = DEFAULT_LINES_PER_SECOND, out = process.stdout } = {},
) {
  let carry = null;
  let windowStart = Date.now();
  let shown = 0;
  let skipped = 0;
  const summary = () => {
    if (skipped > 0)
      out.write(
        `${prefix} ${c('90', `… ${skipped} more lines in ${((Date.now() - windowStart) / 1000).toFixed(1)} s not shown (see the log file)`)}\n`,
      );
    windowStart = Date.now();
    shown = 0;
    skipped = 0;
  };
  const timer = setInterval(() => skipped > 0 && summary(), 1000);
  timer.unref();
  const lines = [];
  const handle = (buf, start, end) => {
    if (shown < linesPerSecond || mustShow(buf, start, end)) {
      shown++;
      lines.push(`${prefix} ${pretty(buf.toString('utf8', start, end))}\n`);
    } else skipped++;
  };
  stream.on('data', (chunk) => {
    logStream.write(chunk);
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    if (Date.now() - windowStart >= 1000) summary();
    let start = 0;
    let i;
    while ((i = buf.indexOf(0x0a, start)) >= 0) {
      handle(buf, start, i);
      start = i + 1;
    }
    if (start < buf.length) carry = Buffer.from(buf.subarray(start));
    if (lines.length) {
      out.write(lines.join(''));
      lines.length = 0;
    }
  });
  stream.on('end', () => {
    clearInterval(timer);
    if (carry) out.write(`${prefix} ${pretty(carry.toString('utf8'))}\n`);
    summary();
  });
}
