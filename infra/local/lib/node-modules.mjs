// node_modules that matches package-lock.json (npm ci only when it does not).
import fs from 'node:fs';
import path from 'node:path';
import { mtime, tail } from './files.mjs';
import { fail, info, warn } from './log.mjs';
import { DIR, ROOT } from './paths.mjs';
import { runLogged } from './process.mjs';

/** True when every non-optional package of package-lock.json is installed at its locked version. */
function installMatchesLock(lockText, hiddenText) {
  try {
    const lock = JSON.parse(lockText).packages || {};
    const hidden = JSON.parse(hiddenText).packages || {};
    for (const [key, want] of Object.entries(lock)) {
      if (!key.startsWith('node_modules/') || want.optional) continue;
      const have = hidden[key];
      if (!have) return false;
      if (want.link ? have.resolved !== want.resolved : have.version !== want.version) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Runs npm ci when node_modules does not match package-lock.json; returns what it found or did. */
export function ensureNodeModules() {
  const lock = path.join(ROOT, 'package-lock.json');
  const nm = path.join(ROOT, 'node_modules');
  const marker = path.join(nm, '.package-lock.json');
  if (!fs.existsSync(lock)) return 'no package-lock.json';
  if (fs.existsSync(marker) && mtime(lock) <= mtime(marker)) return 'up to date';
  // package-lock.json touched (checkout, copy) but the installed tree already matches it: no reinstall.
  if (fs.existsSync(marker) && installMatchesLock(fs.readFileSync(lock, 'utf8'), fs.readFileSync(marker, 'utf8'))) {
    const now = new Date();
    fs.utimesSync(marker, now, now);
    return 'up to date';
  }
  // npm ci empties node_modules; through a symlink it would empty another checkout's tree.
  if (fs.lstatSync(nm, { throwIfNoEntry: false })?.isSymbolicLink()) {
    fail('node_modules is a symlink and does not match package-lock.json: refusing to run npm ci through it');
  }
  if (process.env.CIT_SKIP_INSTALL === '1') {
    warn('node_modules does not match package-lock.json (CIT_SKIP_INSTALL=1: not reinstalling)');
    return 'out of date (skipped)';
  }
  info('installing dependencies: npm ci (log: .local/logs/npm-ci.log)');
  const log = path.join(DIR.logs, 'npm-ci.log');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (!runLogged(npm, ['ci', '--no-audit', '--no-fund'], log, { env: { ...process.env, FORCE_COLOR: '0' } })) {
    fail(`npm ci failed:\n${tail(log)}`);
  }
  return 'installed (npm ci)';
}
