import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { incidentReportedEvent, type IncidentRecord } from '../../incidents/incident.mapper';
import { IncidentStore } from '../../incidents/incident-store';
import { ReviewScreener, type IncidentToScreen } from '../../review-queue/review-screener.service';
import { importBatchEntries } from '../../audit/intake-audit';

/** A valid row, already mapped: PHI encrypted, blind indexes computed; what screening needs when the import asks for it. */
export interface PreparedRow {
  line: number;
  record: IncidentRecord;
  screening?: IncidentToScreen;
}

/** One stored line of the error report. */
export interface RowErrorEntry {
  line: number;
  field: string;
  reason: string;
}

/** What one transaction commits: the good rows, the error report lines, and the counters since the last batch. */
export interface PreparedBatch {
  rows: PreparedRow[];
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

/**
 * Commits one batch of an import in one transaction with a handful of set-based statements
 * (unnest inserts): incidents (existing CAD/RMS numbers skipped by the unique indexes),
 * persons, subjects, review items and outbox events when asked, the error report and the
 * job counters.
 */
@Injectable()
export class ImportBatchWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: IncidentStore,
    private readonly outbox: OutboxWriter,
    private readonly screener: ReviewScreener,
    private readonly audit: AuditTrail,
  ) {}

  async commit(target: BatchTarget, batch: PreparedBatch): Promise<BatchOutcome> {
    // Imports run from POST /v1/imports (@AuditInService): fail closed rather than store PHI unaudited.
    const auditContext = currentAuditContext();
    if (!auditContext) throw new Error('import batches must run within an audited request');
    return tenantTransaction(this.dataSource, target.departmentId, async (em) => {
      // A re-run skips what an earlier run stored: the department's CAD and RMS numbers are unique.
      const inserted = await this.store.insert(
        em,
        batch.rows.map((r) => r.record),
        { skipDuplicates: true },
      );
      const rows = batch.rows.filter((r) => inserted.has(r.record.id));
      if (target.screen) {
        for (const r of rows) if (r.screening) await this.screener.screenIncident(em, r.screening);
      }
      if (target.emitEvents && rows.length) {
        await this.outbox.appendMany(
          em,
          rows.map((r) => incidentReportedEvent(r.record, target)),
        );
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
}
