// Recomputes the PHI access audit chain of a department and names the first broken entry:
//   node --import tsx libs/audit/src/audit.cli.ts verify --department D [--service intake] [--database-url URL]
// Exit 0: every chain intact; 1: a chain is broken; 2: bad arguments or a database unreachable.
import { parseArgs } from 'node:util';
import { databaseUrlFor, DEFAULT_DATABASE_URL } from '@cit/persistence';
import { loadLocalEnvFile } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { verifyAuditChain, type AuditVerification } from './audit-verify';

/** The services whose databases hold an audit log (each its own chain per department). */
export const AUDITED_SERVICES = ['intake', 'triage', 'referral', 'conference', 'followup'] as const;

const USAGE = `usage: npm run audit -- verify --department <id> [--service <name> ...] [--database <name>] [--database-url <server url>]
  --department    the department (tenant) whose chain to recompute
  --service       ${AUDITED_SERVICES.join(', ')} (default: all five); each service database cit_<service> is its own chain
  --database      verify this database instead (a restored backup, a test database)
  --database-url  the PostgreSQL server (default: DATABASE_MIGRATION_URL, DATABASE_URL, .local/env)`;

/** One line per service: intact (entries, head), broken (seq and id of the first broken entry), or no audit log. */
export function describeVerification(service: string, departmentId: string, v: AuditVerification): string {
  switch (v.status) {
    case 'intact':
      return `${service}: department ${departmentId}: intact, ${v.entries} entries, head seq ${v.headSeq}${v.headHash ? ` hash ${v.headHash}` : ''}`;
    case 'broken':
      return `${service}: department ${departmentId}: BROKEN at seq ${v.firstBroken.seq} id ${v.firstBroken.id} (${v.firstBroken.reason}); ${v.entries} entries before it verified`;
    case 'no-audit-log':
      return `${service}: no audit log in this database`;
  }
}

/** Runs the CLI; returns the exit code. */
export async function runAuditCli(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  let values: { department?: string; service?: string[]; database?: string; 'database-url'?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        department: { type: 'string' },
        service: { type: 'string', multiple: true },
        database: { type: 'string' },
        'database-url': { type: 'string' },
      },
      allowPositionals: true,
    }));
  } catch (err) {
    out(`audit: ${(err as Error).message}`);
    out(USAGE);
    return 2;
  }
  const services = values.service ?? [...AUDITED_SERVICES];
  const unknown = services.filter((s) => !(AUDITED_SERVICES as readonly string[]).includes(s));
  if (positionals[0] !== 'verify' || positionals.length !== 1 || !values.department || unknown.length > 0) {
    if (unknown.length) out(`audit: unknown service ${unknown.join(', ')}`);
    out(USAGE);
    return 2;
  }
  loadLocalEnvFile();
  const serverUrl =
    values['database-url'] ?? process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const targets = values.database
    ? [{ service: values.database, database: values.database }]
    : services.map((s) => ({ service: s, database: `cit_${s}` }));
  let code = 0;
  for (const { service, database } of targets) {
    const dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrlFor(serverUrl, database),
      entities: [],
      poolSize: 1,
      applicationName: 'cit-audit-verify',
    });
    try {
      await dataSource.initialize();
    } catch (err) {
      out(`${service}: database ${database} unreachable (${(err as { code?: string }).code ?? 'connection failed'})`);
      code = Math.max(code, 2);
      continue;
    }
    try {
      const v = await verifyAuditChain(dataSource, values.department);
      out(describeVerification(service, values.department, v));
      if (v.status === 'broken') code = Math.max(code, 1);
    } finally {
      await dataSource.destroy();
    }
  }
  return code;
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`audit failed: ${err.name}\n`);
      process.exit(2);
    },
  );
}
