// Prints a development token and nothing else on stdout, so it can be captured:
//   TOKEN=$(npm run -s token -- --role coordinator --department demo)
// `npm run token -- revoke <jti>` revokes a token instead (revocation/revoke.cli.ts).
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../principal';
import { issueDevToken } from './dev-token';
import { loadLocalEnvForCli } from './local-env';
import { runRevokeCli } from '../revocation/revoke.cli';

const USAGE = `usage: npm run token -- --role <role> [--role <role>...] --department <id> [--district <id>...] [--subject <sub>] [--ttl <seconds>]
       npm run token -- --agency <agency id> --department <id> [--subject <client id>] [--ttl <seconds>]
       npm run token -- revoke <jti> | revoke --token <jwt>
roles: ${ROLES.join(', ')}
--agency makes a partner token (role partner) bound to that agency.
--district limits the staff member's normal scope to those districts (records elsewhere need break-glass).`;

function usage(problem?: string): never {
  if (problem) process.stderr.write(`token: ${problem}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string', multiple: true },
        department: { type: 'string' },
        agency: { type: 'string' },
        district: { type: 'string', multiple: true },
        subject: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) usage();
  const roles = ((values.role as string[] | undefined) ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) usage(`unknown role ${unknown.join(', ')}`);
  const department = values.department as string | undefined;
  if (!department) usage('--department is required');
  const agency = values.agency as string | undefined;
  if (agency === undefined && roles.length === 0) usage('give --role, or --agency for a partner token');
  if (agency !== undefined && roles.some((r) => r !== 'partner'))
    usage('a partner token (--agency) can only have the partner role');
  if (agency === undefined && roles.includes('partner')) usage('the partner role needs --agency');
  let ttl: number | undefined;
  if (values.ttl !== undefined) {
    ttl = Number(values.ttl);
    if (!Number.isInteger(ttl) || ttl <= 0) usage('--ttl must be a positive number of seconds');
  }

  loadLocalEnvForCli();
  let token: string;
  try {
    const districts = values.district as string[] | undefined;
    token = await issueDevToken({
      roles: roles as Role[],
      department,
      agency,
      districts,
      subject: values.subject as string | undefined,
      ttl,
    });
  } catch (err) {
    usage((err as Error).message);
  }
  process.stdout.write(`${token}\n`);
}

if (process.argv[2] === 'revoke') void runRevokeCli(process.argv.slice(3));
else void main();
