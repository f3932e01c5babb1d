import { combineStatements } from './sql-statement';

describe('combineStatements', () => {
  it.each([
    {
      name: 'one statement stays as it is',
      parts: [{ sql: 'INSERT INTO a VALUES ($1, $2)', params: [1, 2] }],
      sql: 'INSERT INTO a VALUES ($1, $2)',
      params: [1, 2],
    },
    {
      name: 'later placeholders move past the earlier parameters',
      parts: [
        { sql: 'INSERT INTO a SELECT * FROM unnest($1::text[], $2::int[])', params: [['x'], [1]] },
        { sql: 'INSERT INTO b VALUES ($2, $1, $1)', params: ['p', 'q'] },
        { sql: 'INSERT INTO c VALUES ($1)', params: [true] },
      ],
      sql:
        'WITH w0 AS (INSERT INTO a SELECT * FROM unnest($1::text[], $2::int[])),\n' +
        'w1 AS (INSERT INTO b VALUES ($4, $3, $3))\nINSERT INTO c VALUES ($5)',
      params: [['x'], [1], 'p', 'q', true],
    },
    {
      name: 'two-digit placeholders are renumbered whole',
      parts: [
        { sql: 'INSERT INTO a VALUES ($1)', params: Array.from({ length: 12 }, (_, i) => i).slice(0, 1) },
        { sql: 'INSERT INTO b VALUES ($10, $1)', params: Array.from({ length: 10 }, (_, i) => i) },
      ],
      sql: 'WITH w0 AS (INSERT INTO a VALUES ($1))\nINSERT INTO b VALUES ($11, $2)',
      params: [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    },
  ])('$name', ({ parts, sql, params }) => {
    expect(combineStatements(parts)).toEqual({ sql, params });
  });

  it('refuses a placeholder without a parameter and an empty list', () => {
    expect(() =>
      combineStatements([
        { sql: 'INSERT INTO a VALUES ($1)', params: [1] },
        { sql: 'INSERT INTO b VALUES ($2)', params: [1] },
      ]),
    ).toThrow('$2 has no parameter');
    expect(() => combineStatements([])).toThrow('no statements');
  });
});
