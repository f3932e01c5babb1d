// Console output of cit.mjs (coloured unless CI or NO_COLOR) mirrored to .local/logs/cit.log.
import fs from 'node:fs';
import path from 'node:path';
import { DIR } from './paths.mjs';

export const IS_CI = /^(1|true|yes)$/i.test(process.env.CI || '');
const COLOR = !IS_CI && process.stdout.isTTY && !process.env.NO_COLOR;

/** Wraps text in an ANSI colour code when the terminal shows colours. */
export const c = (code, s) => (COLOR ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Appends a line to .local/logs/cit.log; never throws. */
export function logLine(msg) {
  try {
    fs.mkdirSync(DIR.logs, { recursive: true });
    fs.appendFileSync(path.join(DIR.logs, 'cit.log'), `${new Date().toISOString()} [${process.pid}] ${msg}\n`);
  } catch {
    /* logging must never break the command */
  }
}

export function info(msg) {
  console.log(`${c('36', '[cit]')} ${msg}`);
  logLine(msg);
}

export function warn(msg) {
  console.log(`${c('33', '[cit] warning:')} ${msg}`);
  logLine(`warning: ${msg}`);
}

/** An expected failure: printed as its message, without a stack. */
export class CitError extends Error {}

export const fail = (msg) => {
  throw new CitError(msg);
};
