import type { DataSource, EntityManager } from 'typeorm';
import { describeBinding, PHI_TOKEN_V1, PHI_TOKEN_V2, type FieldCipher, type PhiBinding } from '../crypto/field-cipher';
import { PhiCryptoError } from '../crypto/phi-crypto.errors';
import { tenantTransaction } from '../tenancy/tenant-transaction';
import type { PhiColumnSpec } from './phi-column.catalog';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  // Identifiers cannot be bound as parameters: only plain lower-case names are accepted.
  if (!IDENTIFIER.test(name)) throw new Error(`phi keys: invalid identifier "${name}"`);
  return `"${name}"`;
}

/** Values of one column by token version and key id: counts[kid]['v1' | 'v2']. */
export type KeyCounts = Record<string, { v1: number; v2: number }>;

/** Where a column stands: its values under each key, or why it was not looked at. */
export interface ColumnKeyStatus {
  table: string;
  column: string;
  /** False when the table or column is not in this database (service not migrated to it). */
  present: boolean;
  counts: KeyCounts;
  appendOnly: boolean;
}

/** Outcome of rewrapping one column. */
export interface ColumnRewrapResult {
  table: string;
  column: string;
  /** Values written back under the active key (and upgraded to v2 where the column is bound). */
  rewrapped: number;
  /** Values changed by the service between read and write: left alone (written with the active key). */
  skipped: number;
  /** Values that could not be read at their place (tampered, moved, unknown key); named by place only. */
  failed: string[];
  batches: number;
}

async function columnPresent(em: EntityManager, table: string, columns: readonly string[]): Promise<boolean> {
  const rows: Array<{ n: number }> = await em.query(
    `SELECT count(*)::int AS n FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND column_name = ANY($2::text[])`,
    [table, [...new Set(columns)]],
  );
  return rows[0]!.n === new Set(columns).size;
}

/**
 * Departments with rows in the given columns. Only a role that bypasses row-level security
 * (superuser or BYPASSRLS) can see them all: for any other, undefined (the caller names them).
 */
export async function discoverDepartments(
  dataSource: DataSource,
  specs: readonly PhiColumnSpec[],
): Promise<string[] | undefined> {
  const [role]: Array<{ bypass: boolean }> = await dataSource.query(
    `SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`,
  );
  if (!role?.bypass) return undefined;
  const departments = new Set<string>();
  for (const table of new Set(specs.map((s) => s.table))) {
    const present = await columnPresent(dataSource.manager, table, ['department_id']);
    if (!present) continue;
    const rows: Array<{ department_id: string }> = await dataSource.query(
      `SELECT DISTINCT department_id FROM ${ident(table)}`,
    );
    for (const r of rows) departments.add(r.department_id);
  }
  return [...departments].sort();
}

/**
 * How many values of each column are under each key id and token version, summed over the
 * departments (each counted in its own transaction under its row-level security).
 */
export async function phiKeyStatus(
  dataSource: DataSource,
  specs: readonly PhiColumnSpec[],
  departments: readonly string[],
): Promise<ColumnKeyStatus[]> {
  const out: ColumnKeyStatus[] = [];
  for (const spec of specs) {
    const status: ColumnKeyStatus = {
      table: spec.table,
      column: spec.column,
      present: await columnPresent(dataSource.manager, spec.table, [spec.column, 'department_id']),
      counts: {},
      appendOnly: spec.appendOnly ?? false,
    };
    out.push(status);
    if (!status.present) continue;
    const col = ident(spec.column);
    for (const departmentId of departments) {
      const rows: Array<{ version: string; kid: string; n: number }> = await tenantTransaction(
        dataSource,
        departmentId,
        (em) =>
          em.query(
            `SELECT split_part(${col}, ':', 2) AS version, split_part(${col}, ':', 3) AS kid, count(*)::int AS n
               FROM ${ident(spec.table)}
              WHERE department_id = $1 AND (starts_with(${col}, $2) OR starts_with(${col}, $3))
              GROUP BY 1, 2`,
            [departmentId, PHI_TOKEN_V1, PHI_TOKEN_V2],
          ),
      );
      for (const r of rows) {
        const entry = (status.counts[r.kid] ??= { v1: 0, v2: 0 });
        entry[r.version === 'v2' ? 'v2' : 'v1'] += r.n;
      }
    }
  }
  return out;
}

/** Values of a status still under another key than activeKeyId (the count a finished rewrap brings to zero). */
export function valuesUnderOtherKeys(status: readonly ColumnKeyStatus[], activeKeyId: string): number {
  let n = 0;
  for (const s of status) for (const [kid, c] of Object.entries(s.counts)) if (kid !== activeKeyId) n += c.v1 + c.v2;
  return n;
}

/** Values of a status still in the legacy, unbound v1 format. */
export function legacyValues(status: readonly ColumnKeyStatus[]): number {
  let n = 0;
  for (const s of status) for (const c of Object.values(s.counts)) n += c.v1;
  return n;
}

type Row = Record<string, string | number | null>;

/** The binding a stored value is read at, or undefined for a value the service keeps as a legacy v1 token. */
export function bindingOfRow(spec: PhiColumnSpec, departmentId: string, row: Row): PhiBinding | undefined {
  const legacyAad = typeof spec.legacyAad === 'function' ? spec.legacyAad(row, departmentId) : (spec.legacyAad ?? '');
  const own = (): PhiBinding => ({
    departmentId,
    table: spec.table,
    column: spec.column,
    // A row keyed by several columns (diversion_plan: case id, version) is named by all of them.
    rowId: spec.keyColumns.map((k) => String(row[k])).join(':'),
    legacyAad,
  });
  switch (spec.binding.kind) {
    case 'legacy':
      return undefined;
    case 'row':
      return own();
    case 'foreign': {
      const foreignId = row[spec.binding.rowIdColumn];
      if (foreignId === null || foreignId === undefined) return spec.binding.whenNull === 'row' ? own() : undefined;
      return {
        departmentId,
        table: spec.binding.table,
        column: spec.binding.column,
        rowId: String(foreignId),
        legacyAad,
      };
    }
  }
}

/** Options of rewrapPhiColumn. */
export interface RewrapPhiColumnOptions {
  /** Rows per transaction; default 200. Small batches keep row locks short while services run. */
  batchSize?: number;
}

/**
 * Rewraps one column of one department under the active key, in small transactions under
 * that department's row-level security, walking the key columns (keyset pagination). Each
 * value is written back only if it is still the one read (compare-and-set), so a value the
 * service rewrote meanwhile is left alone. Bound columns also upgrade v1 tokens to v2.
 * Resumable: a second run starts over and finds only what is left.
 */
export async function rewrapPhiColumn(
  dataSource: DataSource,
  cipher: FieldCipher,
  spec: PhiColumnSpec,
  departmentId: string,
  options: RewrapPhiColumnOptions = {},
): Promise<ColumnRewrapResult> {
  const result: ColumnRewrapResult = {
    table: spec.table,
    column: spec.column,
    rewrapped: 0,
    skipped: 0,
    failed: [],
    batches: 0,
  };
  if (spec.appendOnly) return result;
  const batchSize = options.batchSize ?? 200;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error('rewrapPhiColumn: batchSize must be a positive integer');
  const table = ident(spec.table);
  const col = ident(spec.column);
  const keys = spec.keyColumns.map(ident);
  const extra = spec.binding.kind === 'foreign' ? `, ${ident(spec.binding.rowIdColumn)}` : '';
  const keyList = keys.join(', ');
  const activeV2 = `${PHI_TOKEN_V2}${cipher.activeKeyId}:`;
  const activeV1 = `${PHI_TOKEN_V1}${cipher.activeKeyId}:`;
  // Legacy columns stay v1 (the service reads them with its own associated data), so a v1
  // token under the active key is done there; elsewhere only a v2 token under it is.
  const done =
    spec.binding.kind === 'legacy' ? `(starts_with(${col}, $4) OR starts_with(${col}, $5))` : `starts_with(${col}, $4)`;

  let after: Row | undefined;
  for (;;) {
    const batch = await tenantTransaction(dataSource, departmentId, async (em) => {
      const params: unknown[] = [departmentId, 'enc:v', batchSize, activeV2];
      if (spec.binding.kind === 'legacy') params.push(activeV1);
      let keyset = '';
      if (after) {
        const placeholders = spec.keyColumns.map((k) => {
          params.push(after![k]);
          return `$${params.length}`;
        });
        keyset = `AND (${keyList}) > (${placeholders.join(', ')})`;
      }
      const rows: Row[] = await em.query(
        `SELECT ${keyList}, ${col} AS token${extra} FROM ${table}
          WHERE department_id = $1 AND starts_with(${col}, $2) AND NOT ${done} ${keyset}
          ORDER BY ${keyList} LIMIT $3`,
        params,
      );
      for (const row of rows) {
        const token = row.token as string;
        const binding = bindingOfRow(spec, departmentId, row);
        let next: string;
        try {
          next = cipher.rewrap(token, binding);
        } catch (err) {
          if (!(err instanceof PhiCryptoError)) throw err;
          const where = binding
            ? describeBinding(binding)
            : `${spec.table}.${spec.column} row ${spec.keyColumns.map((k) => `"${String(row[k])}"`).join('/')} of department "${departmentId}"`;
          result.failed.push(`${where}: ${err.code}`);
          continue;
        }
        if (next === token) continue;
        const where = spec.keyColumns.map((k, i) => `${ident(k)} = $${i + 4}`).join(' AND ');
        const updated = (await em.query(
          `UPDATE ${table} SET ${col} = $1 WHERE department_id = $2 AND ${col} = $3 AND ${where}`,
          [next, departmentId, token, ...spec.keyColumns.map((k) => row[k])],
        )) as [unknown[], number];
        if (updated[1] === 1) result.rewrapped++;
        else result.skipped++;
      }
      return rows;
    });
    if (batch.length === 0) break;
    result.batches++;
    after = batch[batch.length - 1];
    if (batch.length < batchSize) break;
  }
  return result;
}
