#!/usr/bin/env node
// Local infrastructure and developer commands for the CIT Platform (plain Node ESM; the Docker mode
// loads testcontainers from node_modules). One module per job: lib/ (PostgreSQL, Redis, the Kafka
// mock, the dev issuer, secrets, containers, process control) and commands/ (up, test, start, bench).
// See infra/README.md for the layout and the environment variables.
import { bench } from './commands/bench.mjs';
import { kafkaCommand } from './commands/kafka.mjs';
import { seedCommand } from './commands/seed.mjs';
import { start } from './commands/start.mjs';
import { test } from './commands/test.mjs';
import { down, status, up } from './commands/up.mjs';
import { c, CitError, logLine } from './lib/log.mjs';

const USAGE = `usage: node infra/local/cit.mjs <command>
  up                 start/reuse PostgreSQL, Redis, Kafka broker, dev issuer; write .local/env
  down               stop the Kafka broker and dev issuer started by up
  status             show what runs
  test [paths...]    up, build, jest unit + integration + e2e, lint; last line "N passed, N failed"
  start              up, build, migrate, seed, run the five services
  seed [--department demo|riverton|all] [--receiver-url <url>] [--incidents]
                     seed the demo departments through the running services' APIs (idempotent)
  bench [args...]    up, build, run bench scripts
  kafka <command>    send a control command to the local broker: ping, bootstraps, down <id|all>,
                     up <id|all>, error <api-key> <code> <n>, clear-errors <api-key>, rtt <id|all> <ms>,
                     topic <name> <partitions>`;

const withoutDashes = (args) => args.filter((a) => a !== '--');

const COMMANDS = {
  up: () => up(),
  down: () => down(),
  status: () => status(),
  test: (rest) => test(withoutDashes(rest)),
  start: () => start(),
  seed: (rest) => seedCommand(withoutDashes(rest)),
  bench: (rest) => bench(withoutDashes(rest)),
  kafka: (rest) => kafkaCommand(rest),
};

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === undefined || ['-h', '--help', 'help'].includes(cmd)) return console.log(USAGE);
  const run = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!run) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  await run(rest);
}

main().catch((e) => {
  const msg = e instanceof CitError ? e.message : e.stack || String(e);
  console.error(c('31', `[cit] error: ${msg}`));
  logLine(`error: ${msg}`);
  // `test` always ends with the summary line, even when it could not start.
  if (process.argv[2] === 'test') console.log('0 passed, 1 failed');
  process.exit(1);
});
