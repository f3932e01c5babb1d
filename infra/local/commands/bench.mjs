// `bench [args]`: up, build, then every bench script in turn.
import fs from 'node:fs';
import path from 'node:path';
import { fail, info, warn } from '../lib/log.mjs';
import { ROOT } from '../lib/paths.mjs';
import { buildAll, childEnv, forwardInterrupts, runStep } from '../lib/process.mjs';
import { up } from './up.mjs';

/** bench/*.mjs and services/<s>/bench/*.{mjs,ts}, sorted. */
function findBenchScripts() {
  const found = [];
  const scan = (dir, exts) => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) if (exts.some((e) => f.endsWith(e))) found.push(path.join(dir, f));
  };
  scan(path.join(ROOT, 'bench'), ['.mjs']);
  const svcRoot = path.join(ROOT, 'services');
  if (fs.existsSync(svcRoot))
    for (const s of fs.readdirSync(svcRoot).sort()) scan(path.join(svcRoot, s, 'bench'), ['.mjs', '.ts']);
  return found.filter((f) => !f.endsWith('.d.ts'));
}

export async function bench(args) {
  forwardInterrupts();
  const { env: localEnv } = await up();
  const env = childEnv(localEnv);
  const scripts = findBenchScripts();
  if (!scripts.length) {
    info('no benchmark scripts yet (bench/*.mjs or services/*/bench/*.{mjs,ts})');
    return;
  }
  const b = await buildAll(env);
  if (b.code !== 0) fail('build failed');
  let failed = 0;
  for (const s of scripts) {
    const rel = path.relative(ROOT, s);
    info(`bench ${rel}`);
    const nodeArgs = s.endsWith('.ts') ? ['--import', 'tsx', rel, ...args] : [rel, ...args];
    const r = await runStep(process.execPath, nodeArgs, { env });
    if (r.code !== 0) {
      failed++;
      warn(`${rel} exited ${r.code}`);
    }
  }
  info(`${scripts.length - failed}/${scripts.length} benchmark scripts succeeded`);
  if (failed) process.exitCode = 1;
}
