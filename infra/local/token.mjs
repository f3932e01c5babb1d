#!/usr/bin/env node
// `npm run -s token -- --role coordinator --department demo`: prints a development token (only the
// token on stdout) from libs/auth's dev issuer key, so TOKEN=$(npm run -s token -- ...) works.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join('libs', 'auth', 'src', 'dev-issuer', 'token.cli.ts');
const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...process.argv.slice(2).filter((a) => a !== '--')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
