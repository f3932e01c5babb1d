/** A parameterized SQL statement ($1, $2, … refer to params). */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

const PLACEHOLDER = /\$(\d+)/g;

/**
 * Folds several data-modifying statements into one, each but the last as a CTE with its
 * placeholders renumbered: one round trip to PostgreSQL instead of one per statement. The
 * parts run under one snapshot and must not read each other's rows; foreign keys between
 * them hold, since PostgreSQL checks them at the end of the statement. Fragments must not
 * contain `$` other than placeholders (no dollar quoting, no `$` in literals).
 */
export function combineStatements(parts: readonly SqlStatement[]): SqlStatement {
  if (parts.length === 0) throw new Error('combineStatements: no statements');
  if (parts.length === 1) return parts[0]!;
  const params: unknown[] = [];
  const renumbered = parts.map((part) => {
    const base = params.length;
    for (const p of part.params) params.push(p);
    return part.sql.replace(PLACEHOLDER, (_m, n: string) => {
      const k = Number(n);
      if (k < 1 || k > part.params.length) throw new Error(`combineStatements: $${n} has no parameter`);
      return `$${base + k}`;
    });
  });
  const last = renumbered.pop()!;
  return { sql: `WITH ${renumbered.map((sql, i) => `w${i} AS (${sql})`).join(',\n')}\n${last}`, params };
}
