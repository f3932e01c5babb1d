/** Anything that runs SQL as a role that sees every row (the test database's owner, a superuser locally). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Row count and hash of the rows of each table, by table name. */
export type DbSnapshot = Record<string, { rows: number; hash: string }>;

/**
 * Columns background work changes on its own (the outbox relay marks rows published): left
 * out of the hash, so the snapshot sees what a request wrote, not what the relay did since.
 */
export const DEFAULT_VOLATILE_COLUMNS: Record<string, string[]> = {
  outbox: ['published_at', 'attempts', 'last_error', 'status', 'failed_at'],
};

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Builds the one query that snapshots every table of the public schema (the service's own tables, outbox and inbox included). */
export async function snapshotQuery(
  db: SqlRunner,
  volatile: Record<string, string[]> = DEFAULT_VOLATILE_COLUMNS,
): Promise<string> {
  const tables = (await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )) as { table_name: string }[];
  if (tables.length === 0) throw new Error('the database has no tables to snapshot');
  return tables
    .map(({ table_name: t }) => {
      const drop = (volatile[t] ?? []).map(quoteLiteral).join(', ');
      const row = drop ? `(to_jsonb(x) - ARRAY[${drop}]::text[])::text` : 'to_jsonb(x)::text';
      return `SELECT ${quoteLiteral(t)} AS t, count(*)::int AS n, md5(coalesce(string_agg(${row}, ',' ORDER BY ${row}), '')) AS h FROM ${quoteIdent(t)} x`;
    })
    .join(' UNION ALL ');
}

/** Runs a snapshot query. */
export async function takeSnapshot(db: SqlRunner, query: string): Promise<DbSnapshot> {
  const rows = (await db.query(query)) as { t: string; n: number; h: string }[];
  return Object.fromEntries(rows.map((r) => [r.t, { rows: r.n, hash: r.h }]));
}

/** The tables whose rows differ between two snapshots, with their row counts. */
export function snapshotDiff(before: DbSnapshot, after: DbSnapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const t of names) {
    const a = before[t];
    const b = after[t];
    if (a?.hash !== b?.hash || a?.rows !== b?.rows) changed.push(`${t} (${a?.rows ?? 0} → ${b?.rows ?? 0} rows)`);
  }
  return changed;
}
