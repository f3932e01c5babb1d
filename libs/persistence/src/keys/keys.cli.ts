// PHI key management over every service database the platform knows:
//   npm run keys -- status | rotate | rewrap   (see USAGE)
// Exit 0: done (rewrap: nothing left under old keys); 1: values remain or failed; 2: bad arguments,
// configuration or an unreachable database. Output names keys, tables and counts, never values.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../crypto/field-cipher';
import { parsePhiKeys } from '../crypto/key-ring';
import { DEFAULT_DATABASE_URL, databaseUrlFor } from '../database/database-url';
import { assertDepartmentId } from '../tenancy/tenant-transaction';
import { generatePhiKey, nextKeyId, readEnvFile, rotatedPhiKeys, setEnvFileValues } from './key-rotation';
import { runBlindIndexCli } from './blind-index.cli';
import { PLATFORM_PHI_COLUMNS } from './phi-column.catalog';
import {
  discoverDepartments,
  legacyValues,
  phiKeyStatus,
  rewrapPhiColumn,
  valuesUnderOtherKeys,
  type ColumnKeyStatus,
} from './phi-keys';

const SERVICES = Object.keys(PLATFORM_PHI_COLUMNS);

const USAGE = `usage: npm run keys -- <command> [options]
  status   per service and column, how many values are under each key id (v1 unbound, v2 bound)
  rotate   add a new key as active, keeping the old ones for decryption; locally it is written to
           .local/secrets.env and .local/env (services pick it up at restart), with --print (and
           always with NODE_ENV=production) the values to set in the secret store are printed
  rewrap   rewrap stored data keys under the active key (and upgrade bound columns' v1 values to
           v2) in small transactions per department, safe while the services run; then status
  blind-index status | rotate | recompute
           blind-index versions, rotation and recompute (npm run keys -- blind-index, for its options)
options:
  --service <name>        ${SERVICES.join(', ')} (repeatable; default all)
  --department <id>       departments to work on (repeatable; default CIT_DEPARTMENTS, else every
                          department found when the database role bypasses row-level security)
  --database <svc=name>   use database <name> for service <svc> (repeatable; default cit_<svc>)
  --database-url <url>    PostgreSQL server (default DATABASE_MIGRATION_URL, DATABASE_URL)
  --batch-size <n>        rows per rewrap transaction (default 200)
  --key-id <id>           id of the key rotate adds (default k<yyyymmdd>)
  --print                 rotate: print instead of writing the local files
  --env-file <path>       env the services read (default .local/env); variables set in the
                          environment win over the file, as for the services
  --secrets-file <path>   local secrets kept across \`cit up\` (default .local/secrets.env)`;

function repoRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

interface Options {
  service?: string[];
  department?: string[];
  database?: string[];
  'database-url'?: string;
  'batch-size'?: string;
  'key-id'?: string;
  print?: boolean;
  'env-file'?: string;
  'secrets-file'?: string;
}

function formatStatus(service: string, status: readonly ColumnKeyStatus[], activeKeyId: string): string[] {
  const lines: string[] = [];
  for (const s of status) {
    const name = `${service} ${s.table}.${s.column}`;
    if (!s.present) {
      lines.push(`${name}: not in this database (service not migrated to it)`);
      continue;
    }
    const parts = Object.entries(s.counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kid, c]) => `${kid}${kid === activeKeyId ? ' (active)' : ''}: v2 ${c.v2}, v1 ${c.v1}`);
    lines.push(
      `${name}: ${parts.length ? parts.join('; ') : 'no values'}${s.appendOnly ? ' [append-only: never rewrapped]' : ''}`,
    );
  }
  return lines;
}

/** Runs the CLI; returns the exit code. */
export async function runKeysCli(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // Blind-index rotation has its own subcommands and options (blind-index.cli.ts).
  if (argv[0] === 'blind-index') return runBlindIndexCli(argv.slice(1), out, env);
  let values: Options;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        service: { type: 'string', multiple: true },
        department: { type: 'string', multiple: true },
        database: { type: 'string', multiple: true },
        'database-url': { type: 'string' },
        'batch-size': { type: 'string' },
        'key-id': { type: 'string' },
        print: { type: 'boolean' },
        'env-file': { type: 'string' },
        'secrets-file': { type: 'string' },
      },
      allowPositionals: true,
    }));
  } catch (err) {
    out(`keys: ${(err as Error).message}`);
    out(USAGE);
    return 2;
  }
  const command = positionals[0];
  if (positionals.length !== 1 || !['status', 'rotate', 'rewrap'].includes(command!)) {
    out(USAGE);
    return 2;
  }
  const root = repoRoot(process.cwd());
  const envFile = values['env-file'] ?? join(root, '.local', 'env');
  const secretsFile = values['secrets-file'] ?? join(root, '.local', 'secrets.env');
  const fileEnv = readEnvFile(envFile);
  const setting = (name: string): string | undefined => env[name] ?? fileEnv[name];

  const phiKeys = setting('PHI_KEYS');
  const activeKeyId = setting('PHI_ACTIVE_KEY_ID');
  let cipher: FieldCipher;
  try {
    if (!phiKeys || !activeKeyId) throw new Error('PHI_KEYS and PHI_ACTIVE_KEY_ID are required');
    cipher = FieldCipher.fromConfig({ keys: parsePhiKeys(phiKeys), activeKeyId });
  } catch (err) {
    // KeyRingConfigError names the variable and the entry's position, never a key.
    out(`keys: ${(err as Error).message}`);
    return 2;
  }

  if (command === 'rotate') return rotate(values, phiKeys, cipher, { env, envFile, secretsFile, out });

  const services = values.service ?? SERVICES;
  const unknown = services.filter((s) => !SERVICES.includes(s));
  if (unknown.length) {
    out(`keys: unknown service ${unknown.join(', ')}`);
    return 2;
  }
  const databases = new Map(services.map((s) => [s, `cit_${s}`]));
  for (const d of values.database ?? []) {
    const [svc, name] = d.split('=');
    if (!svc || !name || !databases.has(svc)) {
      out(`keys: --database takes <service>=<database> for one of the selected services`);
      return 2;
    }
    databases.set(svc, name);
  }
  const batchSize = values['batch-size'] === undefined ? 200 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    out('keys: --batch-size must be a positive integer');
    return 2;
  }
  let departments: string[] | undefined = values.department;
  if (!departments && setting('CIT_DEPARTMENTS')) {
    departments = setting('CIT_DEPARTMENTS')!
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  }
  try {
    departments?.forEach((d) => assertDepartmentId(d));
  } catch {
    out('keys: a department id given is not valid');
    return 2;
  }
  const serverUrl =
    values['database-url'] ?? setting('DATABASE_MIGRATION_URL') ?? setting('DATABASE_URL') ?? DEFAULT_DATABASE_URL;

  let code = 0;
  out(`active key: ${cipher.activeKeyId}; keys in the ring: ${cipher.keyIds.join(', ')}`);
  for (const service of services) {
    const specs = PLATFORM_PHI_COLUMNS[service]!;
    const database = databases.get(service)!;
    const dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrlFor(serverUrl, database),
      entities: [],
      poolSize: 2,
      applicationName: 'cit-keys',
    });
    try {
      await dataSource.initialize();
    } catch (err) {
      const reason = (err as { code?: string }).code;
      if (reason === '3D000') {
        // No database: the service never ran against this server, so it holds no values.
        out(`${service}: no database ${database} on this server`);
        continue;
      }
      out(`${service}: database ${database} unreachable (${reason ?? 'connection failed'})`);
      code = 2;
      continue;
    }
    try {
      const depts = departments ?? (await discoverDepartments(dataSource, specs));
      if (!depts) {
        out(
          `${service}: name the departments (--department or CIT_DEPARTMENTS): this role is bound by row-level security`,
        );
        code = 2;
        continue;
      }
      if (command === 'rewrap') {
        for (const spec of specs) {
          if (spec.appendOnly) continue;
          let rewrapped = 0;
          let skipped = 0;
          const failed: string[] = [];
          for (const departmentId of depts) {
            const r = await rewrapPhiColumn(dataSource, cipher, spec, departmentId, { batchSize }).catch(
              (err: unknown) => {
                // A column a service has not migrated to yet is reported by status below.
                if ((err as { code?: string }).code === '42P01' || (err as { code?: string }).code === '42703')
                  return null;
                throw err;
              },
            );
            if (!r) continue;
            rewrapped += r.rewrapped;
            skipped += r.skipped;
            failed.push(...r.failed);
          }
          if (rewrapped || skipped || failed.length)
            out(
              `${service} ${spec.table}.${spec.column}: rewrapped ${rewrapped}, changed meanwhile ${skipped}, failed ${failed.length}`,
            );
          for (const f of failed) out(`  failed: ${f}`);
          if (failed.length) code = Math.max(code, 1);
        }
      }
      const status = await phiKeyStatus(dataSource, specs, depts);
      for (const line of formatStatus(service, status, cipher.activeKeyId)) out(line);
      const remaining = valuesUnderOtherKeys(
        status.filter((s) => !s.appendOnly),
        cipher.activeKeyId,
      );
      out(
        `${service}: ${remaining} value(s) under other keys than ${cipher.activeKeyId}, ${legacyValues(status)} legacy v1 value(s), departments: ${depts.length}`,
      );
      if (command === 'rewrap' && remaining > 0) code = Math.max(code, 1);
    } finally {
      await dataSource.destroy();
    }
  }
  return code;
}

function rotate(
  values: Options,
  phiKeys: string,
  cipher: FieldCipher,
  io: { env: NodeJS.ProcessEnv; envFile: string; secretsFile: string; out: (line: string) => void },
): number {
  const production = io.env.NODE_ENV === 'production';
  const print = values.print === true || production || !existsSync(io.secretsFile);
  const keyId = values['key-id'] ?? nextKeyId(cipher.keyIds);
  let next: { PHI_KEYS: string; PHI_ACTIVE_KEY_ID: string };
  try {
    next = rotatedPhiKeys(phiKeys, keyId, generatePhiKey(!production));
  } catch (err) {
    io.out(`keys: ${(err as Error).message}`);
    return 2;
  }
  if (print) {
    io.out(`Set these in the secret store every service reads, then restart the services one by one,`);
    io.out(`then run \`npm run keys -- rewrap\`. Keep ${cipher.keyIds.join(', ')} in PHI_KEYS until status shows no`);
    io.out(`value under them (audit_log entries keep theirs until they age out).`);
    // Only the new key is printed: the old ones are already in the store and need not pass a terminal again.
    io.out(`PHI_KEYS: append ,${next.PHI_KEYS.slice(phiKeys.trim().length + 1)}`);
    io.out(`PHI_ACTIVE_KEY_ID=${next.PHI_ACTIVE_KEY_ID}`);
    return 0;
  }
  // Both files: secrets.env survives `cit up` (which rebuilds .local/env from it); .local/env is what runs now.
  setEnvFileValues(io.secretsFile, next);
  if (existsSync(io.envFile)) setEnvFileValues(io.envFile, next);
  io.out(`added key ${keyId} as active (${cipher.keyIds.join(', ')} kept for decryption) in ${io.secretsFile}`);
  io.out(`restart the services to pick it up, then run \`npm run keys -- rewrap\``);
  return 0;
}

if (require.main === module) {
  runKeysCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      // Database errors name tables and codes; never print a row.
      process.stderr.write(`keys: ${err instanceof Error ? `${err.name}: ${err.message}` : 'failed'}\n`);
      process.exit(2);
    },
  );
}
