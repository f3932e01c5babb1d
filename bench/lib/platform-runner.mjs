#!/usr/bin/env node
// The five services as `npm start` runs them (infra/local/lib/platform.mjs: one process each,
// output copied to log files and printed rate-limited), on the bench's own databases and
// consumer groups. Started by bench/platform.bench.mjs as a process of its own, so the CPU the
// log printing costs is measured apart; SIGTERM stops the services, then this process.
//   argv: <run id> <first port> <log dir>
import { launchServices, migrateAndSeed, platformServices } from '../../infra/local/lib/platform.mjs';
import { signalGroup, sleep } from '../../infra/local/lib/process.mjs';
import { loadLocalEnv } from './bench-kit.mjs';

loadLocalEnv();
const [run, firstPort, logDir] = process.argv.slice(2);
const services = platformServices((_name, port) => Number(firstPort) + port - 3001);
const envFor = (s) => ({
  DATABASE_NAME: `cit_bench_${run}_${s.name}`,
  CONSUMER_GROUP: `cit.${s.name}.bench-${run}`,
  // A new group would otherwise read every retained event of the local broker first.
  CONSUMER_FROM_BEGINNING: 'false',
});
const env = { ...process.env };
let children = new Map();
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const ch of children.values()) signalGroup(ch.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (children.size && Date.now() < deadline) await sleep(100);
  for (const ch of children.values()) signalGroup(ch.pid, 'SIGKILL');
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The bench went away (even while the migrations below block this process): stop the services too.
process.on('disconnect', stop);

migrateAndSeed(services, env, { department: 'bench', envFor });
children = launchServices(services, env, { envFor, logDir });
if (!process.connected) await stop();
process.send({ ready: services.map((s) => ({ name: s.name, port: s.port, pid: s.pid })) }, (err) => err && stop());
