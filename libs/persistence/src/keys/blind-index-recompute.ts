import type { DataSource, EntityManager } from 'typeorm';
import {
  PERSON_MATCH_DOMAIN,
  PERSON_PHONE_MATCH_DOMAIN,
  blindIndexVersionOf,
  LEGACY_VERSION,
  type BlindIndex,
  type BlindIndexVersion,
} from '../crypto/blind-index';
import { personIdentityInputs } from '../crypto/normalizers';
import { tenantTransaction } from '../tenancy/tenant-transaction';

/**
 * Blind-index rotation for intake's database (cit_intake), the only one whose indexes are
 * recomputed from stored ciphertext: incident_subject's two match indexes, the
 * person_identifier rows they point at (and the copies person_merge keeps for an undo), and
 * idempotency_key fingerprints still in the unkeyed legacy form. Works department by
 * department under row-level security, in small transactions, compare-and-set, so it can run
 * while intake serves and be stopped and restarted at any point.
 */

/** Where a subject's PHI value is read (FieldCipher PhiBinding without legacyAad). */
export interface SubjectPlace {
  departmentId: string;
  table: 'incident_subject';
  column: 'name' | 'date_of_birth' | 'phone';
  rowId: string;
}

/** Decrypts a stored subject value at its place (the caller binds FieldCipher; throws when it cannot). */
export type SubjectDecrypt = (token: string, place: SubjectPlace) => string;

/** One counted column: how many stored values are under each blind-index version (0 = legacy). */
export interface BlindIndexColumnStatus {
  table: 'incident_subject' | 'person_identifier' | 'idempotency_key';
  column: 'person_match_index' | 'person_phone_index' | 'match_index' | 'request_hash';
  byVersion: Record<number, number>;
}

/** What blindIndexStatus reports. */
export interface BlindIndexStatus {
  activeVersion: number;
  /** Columns summed over the departments. */
  columns: BlindIndexColumnStatus[];
  /** Blind indexes (subjects and identifiers) not under the active version: what a finished recompute brings to 0. */
  remaining: number;
  /** Fingerprints under an older keyed version: not recomputable (their request is gone); verified while their version is accepted. */
  fingerprintsUnderOlderVersions: number;
}

/** Options of recomputeBlindIndexes. */
export interface RecomputeBlindIndexesOptions {
  blindIndex: BlindIndex;
  decrypt: SubjectDecrypt;
  departments: readonly string[];
  /** Subjects per transaction; default 200. Small batches keep row locks short while intake runs. */
  batchSize?: number;
  /** Stops after this many batches over all departments (resumable: the next run picks up what is left). */
  maxBatches?: number;
}

/** What recomputeBlindIndexes did. */
export interface RecomputeBlindIndexesResult {
  subjects: number;
  identifiers: number;
  mergeRecords: number;
  fingerprints: number;
  /** Identifiers no stored subject holds (left by a corrected subject): no value to recompute from, dropped. */
  orphanIdentifiersDropped: number;
  /** Subjects whose values failed to decrypt (left as they are; status keeps counting them): "department/subject id". */
  failed: string[];
  /** True when maxBatches stopped the run before everything was done. */
  stopped: boolean;
}

interface SubjectRow {
  id: string;
  name: string;
  date_of_birth: string | null;
  phone: string | null;
  person_match_index: string | null;
  person_phone_index: string | null;
}

/** Counts stored blind indexes and fingerprints by version, in each department's own transaction. */
export async function blindIndexStatus(
  dataSource: DataSource,
  blindIndex: BlindIndex,
  departments: readonly string[],
): Promise<BlindIndexStatus> {
  const columns: BlindIndexColumnStatus[] = [
    { table: 'incident_subject', column: 'person_match_index', byVersion: {} },
    { table: 'incident_subject', column: 'person_phone_index', byVersion: {} },
    { table: 'person_identifier', column: 'match_index', byVersion: {} },
    { table: 'idempotency_key', column: 'request_hash', byVersion: {} },
  ];
  for (const departmentId of departments) {
    await tenantTransaction(dataSource, departmentId, async (em) => {
      for (const c of columns) {
        const rows: { version: number; n: number }[] = await em.query(
          `SELECT CASE WHEN ${c.column} ~ '^v[0-9]+:' THEN substring(${c.column} from '^v([0-9]+):')::int ELSE 0 END AS version,
                  count(*)::int AS n
             FROM ${c.table} WHERE department_id = $1 AND ${c.column} IS NOT NULL AND ${c.column} <> ''
            GROUP BY 1`,
          [departmentId],
        );
        for (const r of rows) c.byVersion[r.version] = (c.byVersion[r.version] ?? 0) + r.n;
      }
    });
  }
  const active = blindIndex.activeVersion;
  const off = (c: BlindIndexColumnStatus) =>
    Object.entries(c.byVersion).reduce((n, [v, count]) => (Number(v) === active ? n : n + count), 0);
  const fingerprints = columns[3]!;
  return {
    activeVersion: active,
    columns,
    remaining: columns.slice(0, 3).reduce((n, c) => n + off(c), 0),
    fingerprintsUnderOlderVersions: Object.entries(fingerprints.byVersion).reduce(
      (n, [v, count]) => (Number(v) === active || Number(v) === LEGACY_VERSION ? n : n + count),
      0,
    ),
  };
}

/**
 * Recomputes every blind index not under the active version from the decrypted source values,
 * and keys legacy fingerprints. Per department: subjects in batches (locked, updated only if
 * unchanged), their identifiers moved to the new index in the same transaction (an identifier
 * already taken under the new index keeps its holder: first assignment wins), merge records
 * rewritten; then legacy fingerprints keyed, and identifiers no subject holds any more dropped. Run it after every intake instance runs with the new active version.
 */
export async function recomputeBlindIndexes(
  dataSource: DataSource,
  options: RecomputeBlindIndexesOptions,
): Promise<RecomputeBlindIndexesResult> {
  const batchSize = options.batchSize ?? 200;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error('recomputeBlindIndexes: batchSize must be a positive integer');
  const result: RecomputeBlindIndexesResult = {
    subjects: 0,
    identifiers: 0,
    mergeRecords: 0,
    fingerprints: 0,
    orphanIdentifiersDropped: 0,
    failed: [],
    stopped: false,
  };
  let batches = 0;
  const budgetLeft = () => options.maxBatches === undefined || batches < options.maxBatches;
  for (const departmentId of options.departments) {
    const index = options.blindIndex.forDepartment(departmentId);
    const activePrefix = `v${options.blindIndex.activeVersion}:`;
    let after = '';
    for (;;) {
      if (!budgetLeft()) {
        result.stopped = true;
        return result;
      }
      batches++;
      const { last, count } = await tenantTransaction(dataSource, departmentId, async (em) => {
        const rows: SubjectRow[] = await em.query(
          `SELECT id, name, date_of_birth, phone, person_match_index, person_phone_index
             FROM incident_subject
            WHERE department_id = $1 AND id > $2
              AND ((person_match_index IS NOT NULL AND NOT starts_with(person_match_index, $3))
                OR (person_phone_index IS NOT NULL AND NOT starts_with(person_phone_index, $3)))
            ORDER BY id LIMIT $4 FOR UPDATE`,
          [departmentId, after, activePrefix, batchSize],
        );
        const moves: { kind: 'dob' | 'phone'; from: string; to: string }[] = [];
        const updates: { id: string; match: string | null; phone: string | null }[] = [];
        for (const row of rows) {
          let next: { match: string | null; phone: string | null };
          try {
            const place = (column: SubjectPlace['column']): SubjectPlace => ({
              departmentId,
              table: 'incident_subject',
              column,
              rowId: row.id,
            });
            const name = options.decrypt(row.name, place('name'));
            const dob = row.date_of_birth === null ? null : options.decrypt(row.date_of_birth, place('date_of_birth'));
            const phone = row.phone === null ? null : options.decrypt(row.phone, place('phone'));
            const inputs = personIdentityInputs(name, dob, phone);
            // Only indexes the row has are recomputed: the row's matching stays as it was decided.
            next = {
              match:
                row.person_match_index !== null && inputs.match !== null
                  ? index.compute(inputs.match, PERSON_MATCH_DOMAIN)
                  : null,
              phone:
                row.person_phone_index !== null && inputs.phone !== null
                  ? index.compute(inputs.phone, PERSON_PHONE_MATCH_DOMAIN)
                  : null,
            };
          } catch {
            // Never the error text: it may describe the value. The row stays and is counted.
            result.failed.push(`${departmentId}/${row.id}`);
            continue;
          }
          updates.push({ id: row.id, match: next.match, phone: next.phone });
          if (row.person_match_index !== null && next.match !== null && row.person_match_index !== next.match)
            moves.push({ kind: 'dob', from: row.person_match_index, to: next.match });
          if (row.person_phone_index !== null && next.phone !== null && row.person_phone_index !== next.phone)
            moves.push({ kind: 'phone', from: row.person_phone_index, to: next.phone });
        }
        if (updates.length) {
          // Compare-and-set on top of the row lock: a row corrected since the read keeps its new indexes.
          const [, changed] = (await em.query(
            `UPDATE incident_subject s SET person_match_index = u.match, person_phone_index = u.phone
               FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, match, phone, old_match, old_phone)
              WHERE s.department_id = $1 AND s.id = u.id
                AND s.person_match_index IS NOT DISTINCT FROM u.old_match
                AND s.person_phone_index IS NOT DISTINCT FROM u.old_phone`,
            [
              departmentId,
              updates.map((u) => u.id),
              updates.map((u) => u.match),
              updates.map((u) => u.phone),
              updates.map((u) => rows.find((r) => r.id === u.id)!.person_match_index),
              updates.map((u) => rows.find((r) => r.id === u.id)!.person_phone_index),
            ],
          )) as [unknown, number];
          result.subjects += changed;
        }
        if (moves.length) {
          const moved = await moveIdentifiers(em, departmentId, moves);
          result.identifiers += moved.identifiers;
          result.mergeRecords += moved.mergeRecords;
        }
        return { last: rows.at(-1)?.id ?? null, count: rows.length };
      });
      if (last === null || count < batchSize) break;
      after = last;
    }
    for (let more = true; more; ) {
      if (!budgetLeft()) {
        result.stopped = true;
        return result;
      }
      batches++;
      const r = await tenantTransaction(dataSource, departmentId, (em) =>
        keyLegacyFingerprints(em, options.blindIndex, departmentId, batchSize),
      );
      result.fingerprints += r.keyed;
      more = r.more;
    }
    batches++;
    result.orphanIdentifiersDropped += await tenantTransaction(dataSource, departmentId, (em) =>
      dropOrphanIdentifiers(em, departmentId, activePrefix),
    );
  }
  return result;
}

/**
 * Moves person_identifier rows from their old index to the recomputed one (one statement:
 * the old row deleted, the new inserted unless another person already holds it) and rewrites
 * the identifiers person_merge keeps for an undo.
 */
async function moveIdentifiers(
  em: EntityManager,
  departmentId: string,
  moves: readonly { kind: 'dob' | 'phone'; from: string; to: string }[],
): Promise<{ identifiers: number; mergeRecords: number }> {
  const params = [departmentId, moves.map((m) => m.kind), moves.map((m) => m.from), moves.map((m) => m.to)];
  const inserted: unknown[] = await em.query(
    `WITH pairs AS (SELECT DISTINCT * FROM unnest($2::text[], $3::text[], $4::text[]) AS p(kind, old_index, new_index)),
          moved AS (
            DELETE FROM person_identifier i USING pairs p
             WHERE i.department_id = $1 AND i.kind = p.kind AND i.match_index = p.old_index
            RETURNING i.kind, p.new_index, i.person_id)
     INSERT INTO person_identifier (department_id, kind, match_index, person_id)
     SELECT $1, kind, new_index, person_id FROM moved
     ON CONFLICT DO NOTHING
     RETURNING 1`,
    params,
  );
  const [, mergeRecords] = (await em.query(
    `WITH pairs AS (SELECT DISTINCT * FROM unnest($2::text[], $3::text[], $4::text[]) AS p(kind, old_index, new_index))
     UPDATE person_merge m SET moved_identifiers = (
              SELECT jsonb_agg(CASE WHEN p.new_index IS NULL THEN x.e
                                    ELSE jsonb_build_object('kind', x.e->>'kind', 'index', p.new_index) END ORDER BY x.ord)
                FROM jsonb_array_elements(m.moved_identifiers) WITH ORDINALITY AS x(e, ord)
                LEFT JOIN pairs p ON p.kind = x.e->>'kind' AND p.old_index = x.e->>'index')
      WHERE m.department_id = $1
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(m.moved_identifiers) e
                      JOIN pairs p ON p.kind = e->>'kind' AND p.old_index = e->>'index')`,
    params,
  )) as [unknown, number];
  return { identifiers: inserted.length, mergeRecords };
}

/**
 * Identifiers under another version that no subject holds (a subject corrected since kept its
 * old identifier): no stored value computes to them, so they cannot be recomputed, and once
 * the version is retired no lookup reaches them. One a subject still holds (its recompute
 * failed, or an instance still on the old version just wrote it) stays.
 */
async function dropOrphanIdentifiers(em: EntityManager, departmentId: string, activePrefix: string): Promise<number> {
  const [, dropped] = (await em.query(
    `DELETE FROM person_identifier i
      WHERE i.department_id = $1 AND NOT starts_with(i.match_index, $2)
        AND NOT EXISTS (SELECT 1 FROM incident_subject s
                         WHERE s.department_id = $1 AND s.person_match_index = i.match_index)
        AND NOT EXISTS (SELECT 1 FROM incident_subject s
                         WHERE s.department_id = $1 AND s.person_phone_index = i.match_index)`,
    [departmentId, activePrefix],
  )) as [unknown, number];
  return dropped;
}

/**
 * Keys the legacy fingerprints (the unkeyed SHA-256 intake stored before per-department keys):
 * the keyed fingerprint is an HMAC of that digest, so it is computed from the stored value
 * exactly, and a retry of the original request still matches.
 */
async function keyLegacyFingerprints(
  em: EntityManager,
  blindIndex: BlindIndex,
  departmentId: string,
  batchSize: number,
): Promise<{ keyed: number; more: boolean }> {
  const rows: { key: string; request_hash: string }[] = await em.query(
    `SELECT key, request_hash FROM idempotency_key
      WHERE department_id = $1 AND request_hash ~ '^[0-9a-f]{64}$' ORDER BY key LIMIT $2 FOR UPDATE`,
    [departmentId, batchSize],
  );
  const legacy = rows.filter((r) => blindIndexVersionOf(r.request_hash) === LEGACY_VERSION);
  if (!legacy.length) return { keyed: 0, more: false };
  const [, keyed] = (await em.query(
    `UPDATE idempotency_key k SET request_hash = u.keyed
       FROM unnest($2::text[], $3::text[], $4::text[]) AS u(key, old, keyed)
      WHERE k.department_id = $1 AND k.key = u.key AND k.request_hash = u.old`,
    [
      departmentId,
      legacy.map((r) => r.key),
      legacy.map((r) => r.request_hash),
      legacy.map((r) => blindIndex.fingerprintAt(blindIndex.activeVersion, departmentId, r.request_hash)),
    ],
  )) as [unknown, number];
  return { keyed, more: rows.length === batchSize };
}

/** The versions a status counted, for printing: "v2 (active): 10, legacy: 3". */
export function describeVersions(byVersion: Record<number, number>, activeVersion: BlindIndexVersion): string {
  const parts = Object.entries(byVersion)
    .map(([v, n]) => [Number(v), n] as const)
    .sort(([a], [b]) => b - a)
    .map(([v, n]) => `${v === LEGACY_VERSION ? 'legacy' : `v${v}`}${v === activeVersion ? ' (active)' : ''}: ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}
