import type { EntityManager } from 'typeorm';

/** One SQL statement with its positional parameters ($1, $2, …). */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Runs several writes as one statement (data-modifying CTEs, one round trip): the first must
 * RETURN the row wanted back, the last may RETURN an `id`, answered as `foldedId`. All of them
 * see the same snapshot; constraints are checked at the end of the statement.
 */
export async function runFolded<T>(
  em: EntityManager,
  statements: Statement[],
): Promise<T & { foldedId: string | null }> {
  const params: unknown[] = [];
  const ctes = statements.map((s, i) => {
    const offset = params.length;
    params.push(...s.params);
    return `s${i} AS (${s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  const last = statements.length - 1;
  const rows = (await em.query(
    `WITH ${ctes.join(',\n')}
     SELECT s0.*, ${/RETURNING\s+id\s*$/i.test(statements[last]!.sql.trim()) ? `(SELECT id FROM s${last} LIMIT 1)` : 'NULL::text'} AS "foldedId" FROM s0`,
    params,
  )) as (T & { foldedId: string | null })[];
  return rows[0]!;
}
