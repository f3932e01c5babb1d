// Debian packages on a fresh machine (root only; otherwise a message says what to install).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tail } from './files.mjs';
import { fail, info } from './log.mjs';
import { DIR } from './paths.mjs';
import { isRoot, runLogged } from './process.mjs';

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

let aptUpdated = false;

/** Installs the packages that are missing (apt-get update once per run). */
export function aptInstall(pkgs) {
  const missing = pkgs.filter((p) => !dpkgInstalled(p));
  if (!missing.length) return;
  if (!isRoot())
    fail(
      `Debian packages missing: ${missing.join(' ')} — install them (sudo apt-get install -y ${missing.join(' ')}) and rerun`,
    );
  const log = path.join(DIR.logs, 'apt.log');
  info(`installing Debian packages: ${missing.join(' ')} (log: .local/logs/apt.log)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    runLogged('apt-get', ['update'], log, { env });
    aptUpdated = true;
  }
  if (!runLogged('apt-get', ['install', '-y', '--no-install-recommends', ...missing], log, { env })) {
    fail(`apt-get install ${missing.join(' ')} failed:\n${tail(log)}`);
  }
}
