// `test [paths]`: up, build, jest unit → integration → e2e, lint; the last line is "N passed, N failed".
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { aptInstall } from '../lib/apt.mjs';
import { c, IS_CI, info } from '../lib/log.mjs';
import { ROOT } from '../lib/paths.mjs';
import { bin, buildAll, childEnv, forwardInterrupts, runStep, which } from '../lib/process.mjs';
import { up } from './up.mjs';

const require = createRequire(import.meta.url);
const { jestCounts, summaryLine } = require('../lib/jest-report.cjs');

const KINDS = [
  ['unit', []],
  ['integration', ['--maxWorkers=2', '--forceExit']],
  ['e2e', ['--runInBand', '--forceExit']],
];

/** One jest project, its JSON report turned into a summary row; `tests` counts what the report holds. */
async function runJest(kind, extra, filters, env, timeoutMs) {
  const [jest, ...jestPre] = bin('jest');
  const report = path.join(ROOT, 'reports', `${kind}.json`);
  fs.rmSync(report, { force: true });
  info(`jest --selectProjects ${kind}${filters.length ? ` (filter: ${filters.join(' ')})` : ''}`);
  const args = [
    ...jestPre,
    '--selectProjects',
    kind,
    ...extra,
    '--json',
    `--outputFile=${path.relative(ROOT, report)}`,
  ];
  if (IS_CI) args.push('--ci');
  // --selectProjects takes an array: a boolean flag must separate it from the positional path filters.
  args.push('--passWithNoTests', ...filters);
  const r = await runStep(jest, args, { env, timeoutMs });
  const row = { name: `jest ${kind}`, passed: 0, failed: 0, skipped: 0, note: '', tests: 0 };
  let json = null;
  try {
    json = JSON.parse(fs.readFileSync(report, 'utf8'));
  } catch {
    /* no report */
  }
  if (json) {
    Object.assign(row, jestCounts(json));
    row.tests = row.passed + row.failed + row.skipped;
    if (r.code !== 0 && row.failed === 0) {
      row.failed = 1;
      row.note = r.timedOut ? 'timed out' : `jest exited ${r.code} without failing tests`;
    } else row.note = r.code === 0 ? 'ok' : `exit ${r.code}`;
  } else if (r.code !== 0 || r.timedOut) {
    row.failed = 1;
    row.note = r.timedOut ? 'timed out before writing a report' : `jest exited ${r.code} before writing a report`;
  } else {
    row.note = 'no report written';
  }
  return row;
}

const checkRow = (name, r) => ({
  name,
  passed: r.code === 0 ? 1 : 0,
  failed: r.code === 0 ? 0 : 1,
  skipped: 0,
  note: r.code === 0 ? 'ok' : `exit ${r.code}`,
});

export async function test(filters) {
  forwardInterrupts();
  const rows = []; // { name, passed, failed, skipped, note }
  let env = childEnv({});
  try {
    const r = await up();
    env = childEnv(r.env);
    // The compose test validates docker-compose.yml with Debian's docker-compose (no engine needed).
    if (!which('docker-compose') && process.platform === 'linux' && which('apt-get')) aptInstall(['docker-compose']);
  } catch (e) {
    console.log(c('31', `[cit] infrastructure failed: ${e.message}`));
    rows.push({ name: 'infra up', passed: 0, failed: 1, skipped: 0, note: 'failed' });
  }

  if (process.env.CIT_SKIP_BUILD === '1') info('CIT_SKIP_BUILD=1: build skipped');
  else rows.push(checkRow('build', await buildAll(env)));

  fs.mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
  const timeoutMs = Number(process.env.CIT_TEST_TIMEOUT_MIN || 20) * 60_000;
  let jestTotal = 0;
  for (const [kind, extra] of KINDS) {
    const row = await runJest(kind, extra, filters, env, timeoutMs);
    jestTotal += row.tests;
    rows.push(row);
  }

  if (filters.length) {
    info('path filter given: lint skipped');
  } else {
    info('format: prettier --check .');
    const [prettier, ...prettierPre] = bin('prettier');
    rows.push(
      checkRow('format', await runStep(prettier, [...prettierPre, '--check', '.'], { env, timeoutMs: 5 * 60_000 })),
    );
    info('lint: nx run-many -t lint');
    const [nx, ...nxPre] = bin('nx');
    rows.push(
      checkRow(
        'lint',
        await runStep(nx, [...nxPre, 'run-many', '-t', 'lint', '--outputStyle=static'], {
          env,
          timeoutMs: 15 * 60_000,
        }),
      ),
    );
  }

  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log('');
  console.log(c('1', 'Summary'));
  for (const r of rows) {
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    console.log(
      `  ${r.name.padEnd(18)}${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${String(r.skipped).padStart(4)} skipped  ${r.note}`,
    );
  }
  if (jestTotal === 0) {
    console.log(c('31', '  no tests ran: counted as one failure'));
    total.failed += 1;
  }
  console.log('  reports: reports/unit.json, reports/integration.json, reports/e2e.json');
  console.log(summaryLine(total));
  process.exitCode = total.failed > 0 ? 1 : 0;
}
