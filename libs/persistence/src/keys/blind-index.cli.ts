// Blind-index rotation over intake's database (the only one whose indexes are recomputed):
//   npm run keys -- blind-index status | rotate | recompute   (see USAGE)
// Exit 0: done (recompute: no index left off the active version); 1: indexes remain or rows
// failed; 2: bad arguments, configuration or an unreachable database. Output names tables,
// versions and counts, never values or keys.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, parseEnv } from 'node:util';
import { DataSource } from 'typeorm';
import {
  BlindIndex,
  parseActiveBlindIndexVersion,
  parseBlindIndexKey,
  parseBlindIndexVersionKeys,
  parsePreviousBlindIndexVersion,
} from '../crypto/blind-index';
import { FieldCipher } from '../crypto/field-cipher';
import { parsePhiKeys } from '../crypto/key-ring';
import { DEFAULT_DATABASE_URL, databaseUrlFor } from '../database/database-url';
import { assertDepartmentId } from '../tenancy/tenant-transaction';
import {
  blindIndexStatus,
  describeVersions,
  recomputeBlindIndexes,
  type BlindIndexStatus,
} from './blind-index-recompute';

const USAGE = `usage: npm run keys -- blind-index <command> [options]
  status     per column, how many blind indexes (and idempotency fingerprints) are under each version
  rotate     print the settings that start a rotation: the next version active, the current one
             accepted by lookups meanwhile (--new-key: the new version gets its own master key)
  recompute  recompute every index not under the active version from the decrypted values, in
             small transactions per department, safe while intake runs (after every instance
             runs with the new active version); then status
options:
  --department <id>       departments to work on (repeatable; default CIT_DEPARTMENTS, else every
                          department found when the database role bypasses row-level security)
  --database <name>       intake's database (default cit_intake)
  --database-url <url>    PostgreSQL server (default DATABASE_MIGRATION_URL, DATABASE_URL)
  --batch-size <n>        subjects per transaction (default 200)
  --max-batches <n>       stop after n transactions (a later run resumes)
  --new-key               rotate: generate a master key for the new version (BLIND_INDEX_KEYS)
  --env-file <path>       env the services read (default .local/env); variables set in the
                          environment win over the file, as for the services`;

interface Options {
  department?: string[];
  database?: string;
  'database-url'?: string;
  'batch-size'?: string;
  'max-batches'?: string;
  'new-key'?: boolean;
  'env-file'?: string;
}

function readEnvFile(path: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

const positiveInt = (raw: string | undefined, fallback: number | undefined): number | undefined | null => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : null;
};

/** Lines describing a status: one per column, then the total left to recompute. */
export function formatBlindIndexStatus(status: BlindIndexStatus): string[] {
  const lines = status.columns.map(
    (c) => `intake ${c.table}.${c.column}: ${describeVersions(c.byVersion, status.activeVersion)}`,
  );
  lines.push(
    `intake: ${status.remaining} blind index(es) not under v${status.activeVersion}; ` +
      `${status.fingerprintsUnderOlderVersions} idempotency fingerprint(s) under older versions (not recomputable: checked while their version is accepted)`,
  );
  return lines;
}

/** Runs `keys blind-index ...`; returns the exit code. */
export async function runBlindIndexCli(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let values: Options;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        department: { type: 'string', multiple: true },
        database: { type: 'string' },
        'database-url': { type: 'string' },
        'batch-size': { type: 'string' },
        'max-batches': { type: 'string' },
        'new-key': { type: 'boolean' },
        'env-file': { type: 'string' },
      },
      allowPositionals: true,
    }));
  } catch (err) {
    out(`keys blind-index: ${(err as Error).message}`);
    out(USAGE);
    return 2;
  }
  const command = positionals[0];
  if (positionals.length !== 1 || !['status', 'rotate', 'recompute'].includes(command!)) {
    out(USAGE);
    return 2;
  }
  const fileEnv = readEnvFile(values['env-file'] ?? join(process.cwd(), '.local', 'env'));
  const setting = (name: string): string | undefined => env[name] ?? fileEnv[name];

  let blindIndex: BlindIndex;
  try {
    blindIndex = new BlindIndex(parseBlindIndexKey(setting('BLIND_INDEX_KEY') ?? ''), {
      versionKeys: parseBlindIndexVersionKeys(setting('BLIND_INDEX_KEYS')),
      activeVersion: parseActiveBlindIndexVersion(setting('BLIND_INDEX_ACTIVE_VERSION')),
      previousVersion: parsePreviousBlindIndexVersion(setting('BLIND_INDEX_PREVIOUS_VERSION')),
    });
  } catch (err) {
    // KeyRingConfigError names the variable (and entry), never a key.
    out(`keys blind-index: ${(err as Error).message}`);
    return 2;
  }

  if (command === 'rotate') return rotate(blindIndex, values['new-key'] === true, env.NODE_ENV === 'production', out);

  const batchSize = positiveInt(values['batch-size'], 200);
  const maxBatches = positiveInt(values['max-batches'], undefined);
  if (batchSize === null || maxBatches === null) {
    out('keys blind-index: --batch-size and --max-batches take a positive integer');
    return 2;
  }
  let departments = values.department;
  if (!departments && setting('CIT_DEPARTMENTS')) {
    departments = setting('CIT_DEPARTMENTS')!
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  }
  try {
    departments?.forEach((d) => assertDepartmentId(d));
  } catch {
    out('keys blind-index: a department id given is not valid');
    return 2;
  }
  const serverUrl =
    values['database-url'] ?? setting('DATABASE_MIGRATION_URL') ?? setting('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const database = values.database ?? 'cit_intake';
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
    out(`intake: database ${database} unreachable (${(err as { code?: string }).code ?? 'connection failed'})`);
    return 2;
  }
  try {
    const depts = departments ?? (await discoverDepartments(dataSource));
    if (!depts) {
      out('intake: name the departments (--department or CIT_DEPARTMENTS): this role is bound by row-level security');
      return 2;
    }
    out(
      `blind index: v${blindIndex.activeVersion} active; lookups accept ${blindIndex.acceptedVersions
        .map((v) => (v === 0 ? 'legacy' : `v${v}`))
        .join(', ')}; departments: ${depts.length}`,
    );
    let code = 0;
    if (command === 'recompute') {
      const cipher = phiCipher(setting, out);
      if (!cipher) return 2;
      const r = await recomputeBlindIndexes(dataSource, {
        blindIndex,
        departments: depts,
        batchSize,
        maxBatches,
        // Subject values are bound to their row (FieldCipher PhiBinding); legacy v1 ones had no associated data.
        decrypt: (token, place) => cipher.decrypt(token, { ...place, legacyAad: '' }),
      });
      out(
        `intake: recomputed ${r.subjects} subject(s), moved ${r.identifiers} identifier(s), rewrote ${r.mergeRecords} merge record(s), ` +
          `keyed ${r.fingerprints} legacy fingerprint(s), dropped ${r.orphanIdentifiersDropped} identifier(s) no stored value holds` +
          (r.stopped ? '; stopped at --max-batches (run again to resume)' : ''),
      );
      for (const f of r.failed) out(`  failed to decrypt: ${f}`);
      if (r.failed.length || r.stopped) code = 1;
    }
    const status = await blindIndexStatus(dataSource, blindIndex, depts);
    for (const line of formatBlindIndexStatus(status)) out(line);
    if (command === 'recompute' && status.remaining > 0) code = 1;
    return code;
  } finally {
    await dataSource.destroy();
  }
}

function phiCipher(setting: (name: string) => string | undefined, out: (line: string) => void): FieldCipher | null {
  const keys = setting('PHI_KEYS');
  const activeKeyId = setting('PHI_ACTIVE_KEY_ID');
  try {
    if (!keys || !activeKeyId) throw new Error('PHI_KEYS and PHI_ACTIVE_KEY_ID are required to read the source values');
    return FieldCipher.fromConfig({ keys: parsePhiKeys(keys), activeKeyId });
  } catch (err) {
    out(`keys blind-index: ${(err as Error).message}`);
    return null;
  }
}

/** Every department with intake rows, when the role bypasses row-level security; else undefined. */
async function discoverDepartments(dataSource: DataSource): Promise<string[] | undefined> {
  const [role]: Array<{ bypass: boolean }> = await dataSource.query(
    `SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`,
  );
  if (!role?.bypass) return undefined;
  const rows: Array<{ department_id: string }> = await dataSource.query(
    `SELECT department_id FROM incident_subject UNION SELECT department_id FROM person_identifier
     UNION SELECT department_id FROM idempotency_key ORDER BY 1`,
  );
  return rows.map((r) => r.department_id);
}

function rotate(blindIndex: BlindIndex, newKey: boolean, production: boolean, out: (line: string) => void): number {
  const previous = blindIndex.previousVersion;
  if (previous !== null && previous !== 0) {
    // Lookups accept two versions at most: a third would orphan rows still under the oldest.
    out(`keys blind-index: the rotation from v${previous} is not finished (BLIND_INDEX_PREVIOUS_VERSION=${previous}):`);
    out('run recompute until it reports 0 left, set BLIND_INDEX_PREVIOUS_VERSION=none, then rotate');
    return 1;
  }
  const next = blindIndex.activeVersion + 1;
  out('Set these in the secret store every service reads, then restart the services one by one;');
  out('once every intake instance runs with them, run `npm run keys -- blind-index recompute` until it');
  out(`reports 0 left, then set BLIND_INDEX_PREVIOUS_VERSION=none (and drop v${blindIndex.activeVersion}'s entry from`);
  out('BLIND_INDEX_KEYS, if it has one) and restart again.');
  out(`BLIND_INDEX_ACTIVE_VERSION=${next}`);
  out(`BLIND_INDEX_PREVIOUS_VERSION=${blindIndex.activeVersion}`);
  if (newKey) {
    const bytes = production
      ? randomBytes(32)
      : Buffer.concat([Buffer.from('DEV-ONLY', 'ascii'), randomBytes(32).subarray(0, 24)]);
    out(`BLIND_INDEX_KEYS=<current entries, if any>,${next}:${bytes.toString('base64')}`);
  }
  return 0;
}
