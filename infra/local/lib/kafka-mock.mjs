// The Kafka-protocol broker for local runs and fault tests: librdkafka's mock cluster behind
// infra/local/kafka-mock/launcher.c, built once, started detached, topics pre-created from the manifest.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { aptInstall } from './apt.mjs';
import { mtime, readText, tail, writeAtomic } from './files.mjs';
import { fail, info, warn } from './log.mjs';
import { parseHostPort, tcpExchange } from './net.mjs';
import { DIR, FILES, ROOT } from './paths.mjs';
import { livePid, pidAlive, pidCmdline, runLogged, sleep, terminate } from './process.mjs';

const require = createRequire(import.meta.url);
const { expandTopics, agencyIdsFrom, topicsFileText } = require('../../../libs/contracts/src/topic-expansion.cjs');
const { readEnvFile } = require('./env-file.cjs');

export const BROKER_COUNT = Number(process.env.CIT_KAFKA_BROKER_COUNT || 3);

/** Every topic of the manifest with its dead-letter topic, plus the demo agencies' partner topics. */
export function expectedTopics() {
  const manifest = JSON.parse(fs.readFileSync(FILES.manifest, 'utf8'));
  const agencies = fs.existsSync(FILES.department) ? agencyIdsFrom(fs.readFileSync(FILES.department, 'utf8')) : [];
  return expandTopics(manifest, agencies);
}

/** Compiles the launcher when missing or older than launcher.c; true when it was (re)built. */
function buildLauncher() {
  if (fs.existsSync(FILES.mockBin) && mtime(FILES.mockBin) >= mtime(FILES.mockSrc)) return false;
  aptInstall(['gcc', 'librdkafka-dev']);
  info('building the Kafka mock launcher (.local/bin/cit-kafka-mock)');
  const tmp = `${FILES.mockBin}.${process.pid}.tmp`;
  const log = path.join(DIR.logs, 'kafka-mock-build.log');
  if (!runLogged('gcc', ['-O2', '-o', tmp, FILES.mockSrc, '-lrdkafka'], log)) {
    fs.rmSync(tmp, { force: true });
    fail(`compiling ${path.relative(ROOT, FILES.mockSrc)} failed:\n${tail(log)}`);
  }
  fs.renameSync(tmp, FILES.mockBin);
  return true;
}

/** Sends one control command to the broker launcher and returns its one-line answer. */
export async function kafkaControl(control, command, timeoutMs = 3000) {
  const { host, port } = parseHostPort(control);
  const out = await tcpExchange(host, port, `${command}\n`, (b) => b.includes('\n'), timeoutMs);
  return out.split('\n')[0].trim();
}

/** The launcher's ready file (KAFKA_BROKERS, KAFKA_MOCK_CONTROL, KAFKA_MOCK_PID), {} before it is written. */
export const readyInfo = () => readEnvFile(FILES.mockReady);

/** The running launcher, if its pid is alive and its control channel answers ping. */
export async function runningKafka() {
  const pid = livePid(FILES.mockPid, FILES.mockBin);
  if (!pid) return null;
  const ready = readyInfo();
  if (Number(ready.KAFKA_MOCK_PID) !== pid || !ready.KAFKA_MOCK_CONTROL) return null;
  // The control channel serves one client at a time (an idle client holds it up to 5 s): be patient
  // before declaring the broker dead, since restarting it wipes the in-memory topics under running tests.
  let answered = false;
  for (let attempt = 0; attempt < 2 && !answered; attempt++) {
    try {
      answered = (await kafkaControl(ready.KAFKA_MOCK_CONTROL, 'ping', 7000)) === 'ok pong';
    } catch {
      /* retry once */
    }
  }
  if (!answered) return null;
  return { pid, brokers: ready.KAFKA_BROKERS, control: ready.KAFKA_MOCK_CONTROL };
}

function removeRunFiles() {
  for (const f of [FILES.mockPid, FILES.mockReady, FILES.mockTopics]) fs.rmSync(f, { force: true });
}

/** Stops the launcher started by `up`; returns its pid, or null when none ran. */
export async function stopKafka() {
  const pid = livePid(FILES.mockPid, FILES.mockBin);
  if (pid) await terminate(pid, { graceMs: 5000 });
  removeRunFiles();
  return pid;
}

/** The mock cluster: reused when it answers (missing topics created on it), else built and started. */
export async function ensureKafka() {
  const topics = expectedTopics();
  const topicsText = topicsFileText(topics);
  if (readText(FILES.topics) !== topicsText) writeAtomic(FILES.topics, topicsText);
  const rebuilt = buildLauncher();

  let running = await runningKafka();
  if (running && rebuilt) {
    info('launcher rebuilt: restarting the broker (in-memory topics are recreated from the manifest)');
    await stopKafka();
    running = null;
  }
  if (running) {
    // Topics added to the manifest (or new agencies) since the launch: create them on the fly.
    const launched = readText(FILES.mockTopics) || '';
    if (launched !== topicsText) {
      const had = new Set(launched.split('\n').map((l) => l.split(' ')[0]));
      for (const t of topics.filter((x) => !had.has(x.name))) {
        const ans = await kafkaControl(running.control, `topic ${t.name} ${t.partitions}`);
        if (!ans.startsWith('ok') && !/exist/i.test(ans)) warn(`creating topic ${t.name}: ${ans}`);
      }
      writeAtomic(FILES.mockTopics, topicsText);
    }
    return { ...running, state: 'reused', topics: topics.length };
  }

  // Stale state from a crashed or killed launcher (pid file and ready file may disagree after a crash).
  const stalePids = new Set([Number((readText(FILES.mockPid) || '').trim()), Number(readyInfo().KAFKA_MOCK_PID)]);
  for (const stale of stalePids) {
    if (stale && pidAlive(stale) && pidCmdline(stale).includes(FILES.mockBin)) {
      warn(`launcher pid ${stale} is alive but its control channel does not answer: restarting it`);
      await terminate(stale);
    }
  }
  removeRunFiles();

  const out = fs.openSync(FILES.mockLog, 'a');
  fs.writeSync(
    out,
    `\n--- ${new Date().toISOString()} starting cit-kafka-mock (${BROKER_COUNT} brokers, ${topics.length} topics)\n`,
  );
  const child = spawn(
    FILES.mockBin,
    [
      '--brokers',
      String(BROKER_COUNT),
      '--control-port',
      process.env.CIT_KAFKA_CONTROL_PORT || '0',
      '--topics',
      FILES.topics,
      '--ready-file',
      FILES.mockReady,
    ],
    { cwd: ROOT, detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  let exited = null;
  child.once('exit', (code, sig) => (exited = sig || `code ${code}`));
  child.once('error', (e) => (exited = e.message));
  writeAtomic(FILES.mockPid, `${child.pid}\n`);
  child.unref();

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) break;
    if (Number(readyInfo().KAFKA_MOCK_PID) === child.pid) {
      const r = await runningKafka();
      if (r) {
        writeAtomic(FILES.mockTopics, topicsText);
        return { ...r, state: 'started', topics: topics.length };
      }
    }
    await sleep(100);
  }
  if (!exited) await terminate(child.pid, { graceMs: 1000 });
  fs.rmSync(FILES.mockPid, { force: true });
  fail(`the Kafka mock launcher did not become ready (${exited || 'timeout'}):\n${tail(FILES.mockLog)}`);
}
