import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import { topicForEventType } from '@cit/contracts';
import { tenantTransaction } from '@cit/persistence';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type EntityManager } from 'typeorm';
import { importBatchEntries } from '../../audit/intake-audit';
import { PersonMatcher } from '../../persons/person-matcher.service';
import { ReviewScreener } from '../../review-queue/review-screener.service';
import { copyField, INCIDENT_COPY_COLUMNS, SUBJECT_COPY_COLUMNS, subjectCopyLine } from './copy-text';
import { withPersonIds, type PreparedImportRow } from './row-preparation';

/** One stored line of the error report. */
export interface RowErrorEntry {
  line: number;
  field: string;
  reason: string;
}

/** What one transaction commits: the good rows, the error report lines, and the counters since the last batch. */
export interface PreparedBatch {
  rows: PreparedImportRow[];
  errors: RowErrorEntry[];
  rowsRead: number;
  rowsRejected: number;
}

export interface BatchTarget {
  importId: string;
  departmentId: string;
  createdBy: string;
  emitEvents: boolean;
  /** Screen imported incidents into the behavioral-health review queue, as single reports are. */
  screen: boolean;
  correlationId: string;
  causationId?: string;
}

export interface BatchOutcome {
  imported: number;
  duplicate: number;
}

const INCIDENT_COLUMNS = INCIDENT_COPY_COLUMNS.join(', ');
const SUBJECT_COLUMNS = SUBJECT_COPY_COLUMNS.join(', ');
const OUTBOX_STAGE_COLUMNS = 'ord, id, topic, message_key, event_type, payload, department_id';
const INCIDENT_TOPIC = topicForEventType('cit.incident.reported.v1');

// Session-private staging tables without row-level security (COPY FROM refuses tables under
// RLS): emptied at every commit, created once per pooled connection. The real tables get
// their rows by INSERT ... SELECT, where the tenant policy checks every row.
const STAGING_DDL = `DO $$ BEGIN
  IF to_regclass('pg_temp.import_stage_incident') IS NULL THEN
    CREATE TEMP TABLE import_stage_incident (LIKE incident INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE import_stage_subject (LIKE incident_subject INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE import_stage_outbox (ord int NOT NULL, id uuid NOT NULL, topic text NOT NULL, message_key text NOT NULL,
      event_type text NOT NULL, payload text NOT NULL, department_id text NOT NULL) ON COMMIT DELETE ROWS;
  END IF;
END $$`;

/**
 * Commits one batch of an import in one transaction: the prepared rows are streamed with COPY
 * into staging tables and merged set-based — incidents (CAD/RMS numbers the department already
 * has are skipped by the unique indexes, so a re-run imports nothing twice), persons matched
 * for the whole batch against person_identifier, subjects, review items and outbox events
 * when asked — then the error report, the job counters and the audit entry.
 */
@Injectable()
export class ImportBatchWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly persons: PersonMatcher,
    private readonly screener: ReviewScreener,
    private readonly audit: AuditTrail,
  ) {}

  async commit(target: BatchTarget, batch: PreparedBatch): Promise<BatchOutcome> {
    // Imports run from POST /v1/imports (@AuditInService): fail closed rather than store PHI unaudited.
    const auditContext = currentAuditContext();
    if (!auditContext) throw new Error('import batches must run within an audited request');
    return tenantTransaction(this.dataSource, target.departmentId, async (em) => {
      // Without events, no WAL flush per batch: the job's completion (or failure) commit, and
      // any later commit that depends on the rows, flushes the batch's WAL first. A crash before
      // that loses whole batches with their job counters, never half of one; a re-run stores
      // what is missing. With events, the relay could publish before the flush: flushed as usual.
      if (!target.emitEvents) await em.query(`SET LOCAL synchronous_commit = off`);
      const rows = batch.rows.length ? await this.storeRows(em, target, batch.rows) : [];
      if (target.screen) {
        for (const r of rows) if (r.screening) await this.screener.screenIncident(em, r.screening);
      }
      if (batch.errors.length) {
        await em.query(
          `INSERT INTO import_row_error (import_id, department_id, line, field, reason)
           SELECT $1, $5, line, field, reason FROM unnest($2::int[], $3::text[], $4::text[]) AS e(line, field, reason)
           ON CONFLICT DO NOTHING`,
          [
            target.importId,
            batch.errors.map((e) => e.line),
            batch.errors.map((e) => e.field),
            batch.errors.map((e) => e.reason),
            target.departmentId,
          ],
        );
      }
      const outcome = { imported: rows.length, duplicate: batch.rows.length - rows.length };
      await em.query(
        `UPDATE import_job SET rows_read = rows_read + $2, rows_imported = rows_imported + $3,
                rows_duplicate = rows_duplicate + $4, rows_rejected = rows_rejected + $5
          WHERE id = $1 AND department_id = $6`,
        [target.importId, batch.rowsRead, outcome.imported, outcome.duplicate, batch.rowsRejected, target.departmentId],
      );
      // Last, so the department's audit chain lock is held only until the commit.
      await this.audit.append(em, auditContext, importBatchEntries(target.importId, outcome.imported));
      return outcome;
    });
  }

  /** Stages and merges the rows; returns the rows whose incidents were stored (not duplicates). */
  private async storeRows(
    em: EntityManager,
    target: BatchTarget,
    prepared: readonly PreparedImportRow[],
  ): Promise<PreparedImportRow[]> {
    const client = await pgClientOf(em);
    await em.query(STAGING_DDL);
    await copyRows(
      client,
      `import_stage_incident (${INCIDENT_COLUMNS})`,
      prepared.map((r) => r.incidentCopy),
    );
    // A re-run skips what an earlier run stored: the department's CAD and RMS numbers are unique.
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO incident (${INCIDENT_COLUMNS}) SELECT ${INCIDENT_COLUMNS} FROM import_stage_incident
       ON CONFLICT DO NOTHING RETURNING id`,
    );
    const stored = new Set(inserted.map((r) => r.id));
    const rows = prepared.filter((r) => stored.has(r.incidentId));
    const subjects = rows.flatMap((r) => r.subjects);
    if (subjects.length) {
      const personOf = await this.persons.assignPersonsInBulk(em, target.departmentId, subjects);
      await copyRows(
        client,
        `import_stage_subject (${SUBJECT_COLUMNS})`,
        subjects.map((s) => subjectCopyLine(s.copyPrefix, personOf.get(s.id) ?? null)),
      );
      await em.query(
        `INSERT INTO incident_subject (${SUBJECT_COLUMNS}) SELECT ${SUBJECT_COLUMNS} FROM import_stage_subject`,
      );
      if (target.emitEvents) await this.stageEvents(em, client, target, rows, personOf);
    } else if (target.emitEvents) {
      await this.stageEvents(em, client, target, rows, new Map());
    }
    return rows;
  }

  /** cit.incident.reported.v1 of every stored incident, with its persons, into the outbox in batch order. */
  private async stageEvents(
    em: EntityManager,
    client: PoolClient,
    target: BatchTarget,
    rows: readonly PreparedImportRow[],
    personOf: ReadonlyMap<string, string>,
  ): Promise<void> {
    const withEvents = rows.filter((r) => r.event);
    if (!withEvents.length) return;
    await copyRows(
      client,
      `import_stage_outbox (${OUTBOX_STAGE_COLUMNS})`,
      withEvents.map(
        (r, ord) =>
          [
            String(ord),
            r.event!.id,
            copyField(INCIDENT_TOPIC),
            copyField(r.incidentId),
            'cit.incident.reported.v1',
            copyField(withPersonIds(r.event!.json, (s) => personOf.get(s))),
            copyField(target.departmentId),
          ].join('\t') + '\n',
      ),
    );
    // The relay publishes in seq order: ord keeps the batch's line order.
    await em.query(
      `INSERT INTO outbox (id, topic, message_key, event_type, payload, department_id)
       SELECT id, topic, message_key, event_type, payload::jsonb, department_id FROM import_stage_outbox ORDER BY ord`,
    );
  }
}

/** The pg connection under a TypeORM transaction (COPY needs the driver's client). */
async function pgClientOf(em: EntityManager): Promise<PoolClient> {
  const runner = em.queryRunner as unknown as { connect(): Promise<PoolClient> } | undefined;
  if (!runner) throw new Error('import batch: no query runner');
  return runner.connect();
}

/** Streams COPY text lines into `target` in chunks of about 256 KiB. */
async function copyRows(client: PoolClient, target: string, lines: readonly string[]): Promise<void> {
  const sink = client.query(copyFrom(`COPY ${target} FROM STDIN`));
  await pipeline(Readable.from(chunks(lines)), sink);
}

function* chunks(lines: readonly string[]): Generator<string> {
  let buf = '';
  for (const line of lines) {
    buf += line;
    if (buf.length >= 256 * 1024) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
