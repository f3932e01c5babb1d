// `start`: up, build, migrate and seed, then supervise the five services until Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';
import { printSeedSummary, seedDemo, startDemoReceiver } from '../lib/demo-seed.mjs';
import { issueToken, issuerBase, stopIssuer } from '../lib/dev-issuer.mjs';
import { readText } from '../lib/files.mjs';
import { stopKafka } from '../lib/kafka-mock.mjs';
import { c, fail, info, warn } from '../lib/log.mjs';
import { httpOk } from '../lib/net.mjs';
import { FILES, ROOT } from '../lib/paths.mjs';
import { launchServices, migrateAndSeed, platformServices } from '../lib/platform.mjs';
import { buildAll, childEnv, signalGroup, sleep } from '../lib/process.mjs';
import { up } from './up.mjs';

function printWelcome(services, token) {
  console.log('');
  console.log(c('1', 'CIT Platform is running (Ctrl-C stops it)'));
  for (const s of services) {
    const base = `http://127.0.0.1:${s.port}`;
    console.log(
      `  ${s.name.padEnd(11)} API ${base}/v1   docs ${base}/docs   metrics ${base}/metrics   ready ${base}/health/ready`,
    );
  }
  console.log(`  dev issuer  ${issuerBase()}/.well-known/jwks.json   logs .local/logs/`);
  console.log('');
  if (token) {
    console.log(c('1', 'Development token (role coordinator, department demo):'));
    console.log(`TOKEN=${token}`);
  } else {
    console.log(
      'TOKEN=<run: node --import tsx libs/auth/src/dev-issuer/token.cli.ts --role coordinator --department demo>',
    );
  }
  console.log('');
  const intake = services[0];
  const body = readText(FILES.incidentExample);
  if (body) {
    let json = body;
    try {
      json = JSON.stringify(JSON.parse(body));
    } catch {
      /* print as is */
    }
    console.log(c('1', 'Sample request:'));
    console.log(`curl -sS -X POST http://127.0.0.1:${intake.port}/v1/incidents \\
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
  -d '${json.replace(/'/g, "'\\''")}'`);
  } else {
    console.log(
      `Sample request: ${path.relative(ROOT, FILES.incidentExample)} not found yet; POST it to http://127.0.0.1:${intake.port}/v1/incidents with -H "Authorization: Bearer $TOKEN" once it exists.`,
    );
  }
  console.log('');
}

export async function start() {
  const { env: localEnv, started } = await up();
  const env = childEnv(localEnv);
  const b = await buildAll(env);
  if (b.code !== 0) fail('build failed: fix the errors above and rerun npm start');

  const services = platformServices();
  migrateAndSeed(services, env);

  let stopping = false;
  const children = launchServices(services, env, {
    onExit: (s) => {
      if (!stopping) console.log(c('31', `[cit] ${s.name} exited (${s.exited})`));
    },
  });

  const shutdown = async (why, code = 0) => {
    if (stopping) return;
    stopping = true;
    info(`${why}: stopping services`);
    for (const ch of children.values()) signalGroup(ch.pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (children.size && Date.now() < deadline) await sleep(100);
    for (const [name, ch] of children) {
      warn(`${name} did not stop within 15 s: SIGKILL`);
      signalGroup(ch.pid, 'SIGKILL');
    }
    if (started.kafka) await stopKafka().then(() => info('Kafka mock stopped (started by this run)'));
    if (started.issuer) await stopIssuer().then(() => info('dev issuer stopped (started by this run)'));
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown('interrupted'));
  process.on('SIGTERM', () => shutdown('terminated'));
  process.on('exit', () => {
    for (const ch of children.values()) signalGroup(ch.pid, 'SIGTERM');
  });

  const timeoutS = Number(process.env.CIT_READY_TIMEOUT_S || 120);
  const deadline = Date.now() + timeoutS * 1000;
  const pending = new Set(services);
  while (pending.size) {
    for (const s of [...pending]) {
      if (s.exited) {
        await shutdown(`${s.name} exited before becoming ready (${s.exited}); see .local/logs/${s.name}.log`, 1);
        return;
      }
      if (await httpOk(`http://127.0.0.1:${s.port}/health/ready`, 1500)) {
        pending.delete(s);
        info(`${s.name} ready on ${s.port}`);
      }
    }
    if (!pending.size) break;
    if (Date.now() > deadline) {
      await shutdown(
        `not ready after ${timeoutS}s: ${[...pending].map((s) => `${s.name} (http://127.0.0.1:${s.port}/health/ready)`).join(', ')} — see .local/logs/<service>.log; CIT_READY_TIMEOUT_S raises the limit`,
        1,
      );
      return;
    }
    await sleep(500);
  }

  let token = '';
  if (fs.existsSync(FILES.tokenCli)) {
    const r = issueToken(env, 'coordinator', 'demo');
    if (r.token) token = r.token;
    else warn(`token.cli.ts failed: ${r.error}`);
  } else warn(`${path.relative(ROOT, FILES.tokenCli)} not found: no development token`);

  // The demo partner's webhook receiver, then the demo departments through the APIs (idempotent).
  const ports = Object.fromEntries(services.map((s) => [s.name, s.port]));
  const receiver = await startDemoReceiver(env, ports).catch((err) =>
    warn(`webhook receiver not started: ${err.message}`),
  );
  const seeded = await seedDemo(env, ports, {
    receiverUrl: receiver ? `http://127.0.0.1:${receiver.port}` : undefined,
    incidents: true,
  }).catch((err) => warn(`demo seed failed: ${err.message}`));
  printWelcome(services, token);
  if (seeded) printSeedSummary(seeded, { receiverPort: receiver?.port });
  console.log('');
  await new Promise(() => {}); // run until a signal
}
