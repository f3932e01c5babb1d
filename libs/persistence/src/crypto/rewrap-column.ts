import type { DataSource } from 'typeorm';
import { PHI_TOKEN_V1, type FieldCipher } from './field-cipher';

/** Options of rewrapColumn. */
export interface RewrapColumnOptions {
  cipher: FieldCipher;
  table: string;
  column: string;
  /** A unique, ordered column for keyset pagination; default "id". */
  idColumn?: string;
  /** Rows per transaction; default 500. Small batches keep row locks short. */
  batchSize?: number;
  /** Schema of the table; default "public". */
  schema?: string;
}

/** Outcome of rewrapColumn. */
export interface RewrapColumnResult {
  rewrapped: number;
  batches: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function quoteIdent(name: string, what: string): string {
  // Identifiers cannot be bound as parameters, so only plain names are accepted.
  if (!IDENTIFIER.test(name)) throw new Error(`rewrapColumn: invalid ${what} "${name}"`);
  return `"${name}"`;
}

/**
 * Re-wraps every legacy enc:v1 token of a column whose data key is not under the active KEK
 * (a column of unbound values; bound enc:v2 columns need their binding per row: use
 * rewrapPhiColumn, which `npm run keys -- rewrap` runs), in small
 * transactions walking the id column (keyset pagination), so it can run while the service
 * is serving. Rows changed concurrently are left alone: they were written with the active key.
 */
export async function rewrapColumn(dataSource: DataSource, options: RewrapColumnOptions): Promise<RewrapColumnResult> {
  const { cipher } = options;
  const table = `${quoteIdent(options.schema ?? 'public', 'schema')}.${quoteIdent(options.table, 'table')}`;
  const col = quoteIdent(options.column, 'column');
  const id = quoteIdent(options.idColumn ?? 'id', 'id column');
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error('rewrapColumn: batchSize must be a positive integer');
  const activePrefix = `${PHI_TOKEN_V1}${cipher.activeKeyId}:`;

  let after: unknown = undefined;
  let rewrapped = 0;
  let batches = 0;
  for (;;) {
    const rows = await dataSource.transaction(async (manager) => {
      const params: unknown[] = [PHI_TOKEN_V1, activePrefix, batchSize];
      let keyset = '';
      if (after !== undefined) {
        params.push(after);
        keyset = `AND ${id} > $4`;
      }
      const selected: Array<{ id: unknown; token: string }> = await manager.query(
        `SELECT ${id} AS id, ${col} AS token FROM ${table}
          WHERE starts_with(${col}, $1) AND NOT starts_with(${col}, $2) ${keyset}
          ORDER BY ${id} LIMIT $3 FOR UPDATE`,
        params,
      );
      for (const row of selected) {
        const next = cipher.rewrap(row.token);
        await manager.query(`UPDATE ${table} SET ${col} = $1 WHERE ${id} = $2 AND ${col} = $3`, [
          next,
          row.id,
          row.token,
        ]);
      }
      return selected;
    });
    if (rows.length === 0) break;
    batches += 1;
    rewrapped += rows.length;
    after = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) break;
  }
  return { rewrapped, batches };
}
