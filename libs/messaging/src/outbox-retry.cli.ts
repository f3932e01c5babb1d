import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { listFailedOutboxRows, retryFailedOutboxRows } from './outbox-admin';

const USAGE = `usage: outbox-retry --database-url <url> (--list | --all | --id <uuid> [--id <uuid> ...])
  --database-url  the service's database (default: DATABASE_URL), e.g. postgresql://…/cit_referral
  --list          print the set-aside rows (no payloads) and how many rows each holds back
  --all           put every set-aside row back to pending
  --id            put the given rows back to pending`;

/** Ops entry point: lists set-aside outbox rows or puts them back to pending; returns the exit code. */
export async function runOutboxRetryCli(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'database-url': { type: 'string' },
      list: { type: 'boolean' },
      all: { type: 'boolean' },
      id: { type: 'string', multiple: true },
    },
  });
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  const modes = [values.list, values.all, values.id?.length].filter(Boolean).length;
  if (!url || modes !== 1) {
    out(USAGE);
    return 2;
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: [],
    poolSize: 1,
    applicationName: 'outbox-retry',
  });
  await dataSource.initialize();
  try {
    if (values.list) {
      for (const row of await listFailedOutboxRows(dataSource)) out(JSON.stringify(row));
      return 0;
    }
    const released = await retryFailedOutboxRows(dataSource, values.all ? { all: true } : { ids: values.id! });
    out(JSON.stringify({ released }));
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  runOutboxRetryCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`outbox-retry failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}
