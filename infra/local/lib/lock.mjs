// `up`/`down` may run concurrently (several terminals, agents, test runners): one at a time.
import fs from 'node:fs';
import { mtime, readText } from './files.mjs';
import { fail, info } from './log.mjs';
import { ensureDirs, FILES } from './paths.mjs';
import { pidAlive, sleep } from './process.mjs';

/** Runs fn holding .local/run/up.lock; a stale lock (dead holder, or older than 10 min) is taken over. */
export async function withLock(fn) {
  ensureDirs();
  const deadline = Date.now() + 180_000;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(FILES.lock, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number((readText(FILES.lock) || '').trim());
      const age = Date.now() - mtime(FILES.lock);
      if ((!pidAlive(holder) && age > 2000) || age > 600_000) {
        fs.rmSync(FILES.lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) fail(`another "cit up" (pid ${holder}) holds ${FILES.lock}; remove it if stale`);
      if (!announced) info(`waiting for another "cit up" (pid ${holder}) to finish`);
      announced = true;
      await sleep(300);
    }
  }
  const release = () => {
    if ((readText(FILES.lock) || '').trim() === String(process.pid)) fs.rmSync(FILES.lock, { force: true });
  };
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    release();
  }
}
