import { StringDecoder } from 'node:string_decoder';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { createLogger, currentContext } from '@cit/observability';
import { findTextDefects, ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import type { PhiProtection } from '../../incidents/incident.mapper';
import { IncidentPhiProtection } from '../../incidents/phi-protection.service';
import { CsvLimitError, CsvParser } from '../csv-parser';
import { IMPORT_LIMITS, ImportLimitError, type ImportLimits } from '../import-limits';
import { ImportJobEntity } from '../import-job.entity';
import {
  csvFieldOf,
  csvHeaderIssues,
  csvRowToRequestInput,
  groupIssues,
  normalizeCsvHeader,
  type RowIssue,
} from '../import-row';
import { NdjsonLineSplitter } from '../ndjson-lines';
import { ImportBatchWriter, type BatchTarget, type PreparedBatch } from './import-batch.writer';
import { ImportWorkers } from './import-workers';
import type { PrepareResult, PrepareTask } from './prepare-rows.worker';
import { prepareImportRow, type PrepareContext, type RawRow, type RowOutcome } from './row-preparation';
import type { WorkerPool } from './worker-pool';
import type { RunImportQuery } from './run-import.query';

/** Rows per transaction: large enough to amortize round trips, small enough to keep memory and lock time flat. */
export const IMPORT_BATCH_ROWS = 1000;

/**
 * Batches committing at once, each in its own transaction on its own connection: their inserts
 * run in parallel; the job counters and the audit chain serialize only their last statements.
 */
export const IMPORT_COMMITS_IN_FLIGHT = 2;

/** Rows per worker task: amortizes the message round trip, small enough to keep every worker busy. */
export const IMPORT_TASK_ROWS = 250;

/** Why a running import stopped; the message is stored on the job, so it never carries row content. */
export class ImportAbortedError extends Error {
  constructor(
    message: string,
    readonly issues?: RowIssue[],
  ) {
    super(message);
  }
}

export interface ImportSummary {
  importId: string;
  status: ImportJobEntity['status'];
  format: ImportJobEntity['format'];
  emitEvents: boolean;
  screen: boolean;
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
  failure?: string;
  startedAt: string;
  finishedAt?: string;
}

/** A row as read from the body: raw for the workers, or already refused. */
type Row = RawRow | { line: number; issues: RowIssue[] };

/**
 * Streams an RMS export into incidents. The request stream is split into rows here; a pool of
 * worker threads validates, encrypts and blind-indexes them (tasks of IMPORT_TASK_ROWS rows,
 * at most two per worker in flight per import); bad rows go to the error report, good ones
 * are committed in batches with COPY while the next batch is prepared. Reading pauses while
 * the workers or the database are behind, so memory stays flat for any size.
 * Caps (ImportLimits) stop an import as a whole with a problem naming the cap; batches
 * committed before a cap was hit stay (a re-run skips them as duplicates).
 */
@Injectable()
export class RunImportService {
  private readonly logger = createLogger('import');

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: ImportBatchWriter,
    private readonly phi: IncidentPhiProtection,
    private readonly workers: ImportWorkers,
    @Inject(IMPORT_LIMITS) readonly limits: ImportLimits,
  ) {}

  /**
   * Creates the job (committed at once, so GET shows it) and returns its id; refuses a body
   * declared larger than maxBytes, or a department already running its maximum of imports,
   * before anything is stored.
   */
  async start(query: RunImportQuery, principal: Principal, declaredBytes?: number): Promise<string> {
    try {
      if (declaredBytes !== undefined && declaredBytes > this.limits.maxBytes) {
        throw new ImportLimitError('maxBytes', this.limits.maxBytes, `the body is ${declaredBytes} bytes`);
      }
      const importId = newId('imp');
      await tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
        // Serializes starts per department across replicas, so two cannot both see a free slot.
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('import-start|' || $1))`, [principal.departmentId]);
        // A job left running by a crashed replica stops counting once no request could still be feeding it.
        const [{ running }] = await em.query<{ running: number }[]>(
          `SELECT count(*)::int AS running FROM import_job
            WHERE department_id = $1 AND status = 'running' AND started_at > now() - make_interval(secs => $2)`,
          [principal.departmentId, this.limits.requestTimeoutMs / 1000],
        );
        if (running >= this.limits.maxConcurrentPerDepartment) {
          throw new ImportLimitError(
            'maxConcurrentPerDepartment',
            this.limits.maxConcurrentPerDepartment,
            `${running} imports of the department are running`,
          );
        }
        await em.query(
          `INSERT INTO import_job (id, department_id, format, emit_events, screen, status, created_by) VALUES ($1, $2, $3, $4, $5, 'running', $6)`,
          [importId, principal.departmentId, query.format, query.emitEvents, query.screen, principal.subject],
        );
      });
      this.logger.info(
        {
          importId,
          departmentId: principal.departmentId,
          format: query.format,
          emitEvents: query.emitEvents,
          screen: query.screen,
        },
        'import started',
      );
      return importId;
    } catch (err) {
      if (err instanceof ImportLimitError) {
        this.logger.warn({ departmentId: principal.departmentId, cap: err.cap }, 'import refused');
        throw err.toProblem();
      }
      throw err;
    }
  }

  /**
   * Consumes the body and finishes the job: completed, or failed with a reason (committed
   * batches stay, and a re-run skips them as duplicates). Pass a body iterator that does not
   * destroy the request on early exit (readable.iterator({ destroyOnReturn: false })), so a
   * 400 for a bad header can still be answered.
   */
  async run(
    importId: string,
    body: AsyncIterable<Buffer | string>,
    query: RunImportQuery,
    principal: Principal,
  ): Promise<ImportSummary> {
    const ctx = currentContext();
    const target: BatchTarget = {
      importId,
      departmentId: principal.departmentId,
      createdBy: principal.subject,
      emitEvents: query.emitEvents,
      screen: query.screen,
      correlationId: ctx?.correlationId ?? importId,
      causationId: ctx?.requestId,
    };
    const limits = this.limits;
    const batches = new BatchPipeline(this.writer, target);
    const context: PrepareContext = {
      departmentId: target.departmentId,
      createdBy: target.createdBy,
      emitEvents: target.emitEvents,
      screen: target.screen,
      correlationId: target.correlationId,
      causationId: target.causationId,
    };
    // Rows the workers hand back (text that may not be storable) are prepared here, with the chassis' guard.
    const { protect } = this.phi.session(target.departmentId);
    const pipeline = new PreparePipeline(this.workers.get(), context, batches, limits.maxRows, (raw) =>
      recheckRow(raw, context, protect),
    );
    const add = (row: Row) => pipeline.add(row);
    try {
      const rows = query.format === 'csv' ? new CsvRows(limits) : new NdjsonRows();
      const decoder = new StringDecoder('utf8');
      let bytes = 0;
      for await (const chunk of body) {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        if (bytes > limits.maxBytes) throw new ImportLimitError('maxBytes', limits.maxBytes, `the body is larger`);
        for (const row of rows.push(typeof chunk === 'string' ? chunk : decoder.write(chunk))) await add(row);
      }
      for (const row of rows.push(decoder.end())) await add(row);
      for (const row of rows.end()) await add(row);
      await pipeline.finish();
    } catch (caught) {
      const err = caught instanceof CsvLimitError ? csvLimit(caught, limits) : caught;
      await pipeline.abandon();
      const reason = failureReason(err);
      await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
        em.query(
          `UPDATE import_job SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1 AND department_id = $3`,
          [importId, reason, principal.departmentId],
        ),
      );
      this.logger.warn({ importId, departmentId: principal.departmentId, reason }, 'import failed');
      if (err instanceof ImportLimitError) throw err.toProblem();
      if (err instanceof ImportAbortedError && err.issues)
        throw new RequestValidationError(err.issues.map((i) => ({ field: i.field, detail: i.reason })));
      // Nobody is left to answer; a 400 keeps the client's own disconnect out of the error log.
      if (isDisconnect(err))
        throw new ProblemException(ProblemType.validation, HttpStatus.BAD_REQUEST, 'Request body incomplete', reason);
      throw err;
    }
    await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(`UPDATE import_job SET status = 'completed', finished_at = now() WHERE id = $1 AND department_id = $2`, [
        importId,
        principal.departmentId,
      ]),
    );
    const summary = await this.summary(importId, principal.departmentId);
    this.logger.info({ departmentId: principal.departmentId, ...summary }, 'import completed');
    return summary;
  }

  async summary(importId: string, departmentId: string): Promise<ImportSummary> {
    const job = await tenantTransaction(this.dataSource, departmentId, (em) =>
      em.getRepository(ImportJobEntity).findOneByOrFail({ id: importId, departmentId }),
    );
    return summaryOf(job);
  }
}

export function summaryOf(job: ImportJobEntity): ImportSummary {
  return {
    importId: job.id,
    status: job.status,
    format: job.format,
    emitEvents: job.emitEvents,
    screen: job.screen,
    rowsRead: job.rowsRead,
    rowsImported: job.rowsImported,
    rowsDuplicate: job.rowsDuplicate,
    rowsRejected: job.rowsRejected,
    failure: job.failure ?? undefined,
    startedAt: job.startedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString(),
  };
}

function isDisconnect(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ECONNRESET' || (err as Error | null)?.message === 'aborted';
}

function csvLimit(err: CsvLimitError, limits: ImportLimits): ImportLimitError {
  return err.cap === 'fields'
    ? new ImportLimitError(
        'maxFieldsPerRecord',
        limits.maxFieldsPerRecord,
        `the CSV record on line ${err.line} has more fields`,
      )
    : new ImportLimitError(
        'maxFieldChars',
        limits.maxFieldChars,
        `a field of the CSV record on line ${err.line} is longer`,
      );
}

function failureReason(err: unknown): string {
  if (err instanceof ImportAbortedError || err instanceof ImportLimitError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (isDisconnect(err)) return 'the request stream ended early (client disconnected)';
  // Driver messages can quote values (e.g. a duplicate key); keep only the SQLSTATE.
  return typeof code === 'string' ? `internal error (${code})` : 'internal error';
}

/** A prepared row or a refused one, in line order. */
type PreparedOrRejected = { line: number; row: PreparedBatch['rows'][number] } | { line: number; issues: RowIssue[] };

/**
 * Hands rows to the worker pool in tasks and takes the outcomes back in line order. At most
 * two tasks per worker are in flight for this import: the caller (and so the request
 * stream) waits for the oldest when the workers are behind, and for the batch commit when
 * the database is.
 */
class PreparePipeline {
  private task: Row[] = [];
  private readonly inFlight: { rows: Row[]; done: Promise<PrepareResult> }[] = [];
  private rowsRead = 0;
  private readonly maxInFlight: number;

  constructor(
    private readonly pool: WorkerPool<PrepareTask, PrepareResult>,
    private readonly context: PrepareContext,
    private readonly batches: BatchPipeline,
    private readonly maxRows: number,
    private readonly recheck: (raw: RawRow) => RowOutcome,
  ) {
    this.maxInFlight = pool.size * 2;
  }

  async add(row: Row): Promise<void> {
    if (++this.rowsRead > this.maxRows)
      throw new ImportLimitError('maxRows', this.maxRows, `the body has more rows (line ${row.line})`);
    this.task.push(row);
    if (this.task.length >= IMPORT_TASK_ROWS) await this.dispatch();
  }

  async finish(): Promise<void> {
    await this.dispatch();
    while (this.inFlight.length) await this.drainOne();
    await this.batches.finish();
  }

  /** Lets in-flight work settle (its outcome no longer matters) so the job update comes last. */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0).map((t) => t.done));
    await this.batches.abandon();
  }

  private async dispatch(): Promise<void> {
    if (!this.task.length) return;
    const rows = this.task;
    this.task = [];
    const raw = rows.filter((r): r is RawRow => !('issues' in r));
    const done = raw.length
      ? this.pool.run({ ctx: this.context, now: Date.now(), rows: raw })
      : Promise.resolve<PrepareResult>([]);
    done.catch(() => undefined); // surfaced when drained, not as an unhandled rejection
    this.inFlight.push({ rows, done });
    if (this.inFlight.length >= this.maxInFlight) await this.drainOne();
  }

  private async drainOne(): Promise<void> {
    const { rows, done } = this.inFlight.shift()!;
    const outcomes = await done;
    let next = 0;
    for (const row of rows) {
      if ('issues' in row) {
        await this.batches.add(row);
        continue;
      }
      const outcome = outcomes[next++]!;
      await this.batches.add('recheck' in outcome ? this.toBatchItem(this.recheck(row)) : this.toBatchItem(outcome));
    }
  }

  private toBatchItem(outcome: RowOutcome): PreparedOrRejected {
    if ('recheck' in outcome) throw new Error('import: a row needs a recheck twice');
    return outcome;
  }
}

/** Collects prepared rows into batches; up to IMPORT_COMMITS_IN_FLIGHT batches commit (each on its own connection) while the next fills. */
class BatchPipeline {
  private batch = emptyBatch();
  private readonly inFlight: Promise<unknown>[] = [];

  constructor(
    private readonly writer: ImportBatchWriter,
    private readonly target: BatchTarget,
  ) {}

  async add(item: PreparedOrRejected): Promise<void> {
    this.batch.rowsRead++;
    if ('row' in item) this.batch.rows.push(item.row);
    else {
      this.batch.rowsRejected++;
      for (const i of groupIssues(item.issues))
        this.batch.errors.push({ line: item.line, field: i.field, reason: i.reason });
    }
    if (this.batch.rows.length + this.batch.errors.length >= IMPORT_BATCH_ROWS) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    while (this.inFlight.length) await this.inFlight.shift();
  }

  /** Waits for the batches being committed (their outcome no longer matters) so the job update comes last. */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0));
  }

  private async flush(): Promise<void> {
    // Backpressure: the caller (and so the body stream) waits here while the database is behind.
    while (this.inFlight.length >= IMPORT_COMMITS_IN_FLIGHT) await this.inFlight.shift();
    if (this.batch.rowsRead === 0) return;
    const batch = this.batch;
    this.batch = emptyBatch();
    const commit = this.writer.commit(this.target, batch);
    commit.catch(() => undefined); // surfaced when awaited in turn, not as an unhandled rejection
    this.inFlight.push(commit);
  }
}

/** Prepares on the main thread a row whose text may hold characters PostgreSQL cannot store, with the chassis' guard. */
function recheckRow(raw: RawRow, context: PrepareContext, protect: PhiProtection): RowOutcome {
  return prepareImportRow(raw, context, protect, new Date(), (value) =>
    findTextDefects(value).map((d) => ({ field: d.field === '(body)' ? '(row)' : d.field, reason: d.detail })),
  );
}

function emptyBatch(): PreparedBatch {
  return { rows: [], errors: [], rowsRead: 0, rowsRejected: 0 };
}

/** NDJSON body → rows: one JSON value per line. */
class NdjsonRows {
  private readonly lines = new NdjsonLineSplitter();

  push(text: string): Row[] {
    return this.lines.push(text).map(toRow);
  }

  end(): Row[] {
    return this.lines.end().map(toRow);
  }
}

function toRow(l: { line: number; text: string; tooLong?: boolean }): Row {
  if (l.tooLong) return { line: l.line, issues: [{ field: '(row)', reason: 'line too long' }] };
  return { line: l.line, text: l.text };
}

/** CSV body → rows: the first record is the header; each later record is mapped to a request. */
class CsvRows {
  private readonly parser: CsvParser;
  private header: string[] | undefined;

  constructor(limits: Pick<ImportLimits, 'maxFieldsPerRecord' | 'maxFieldChars'>) {
    this.parser = new CsvParser({ maxFields: limits.maxFieldsPerRecord, maxFieldChars: limits.maxFieldChars });
  }

  push(text: string): Row[] {
    return this.toRows(this.parser.push(text));
  }

  end(): Row[] {
    const rows = this.toRows(this.parser.end());
    if (!this.header)
      throw new ImportAbortedError('the CSV body has no header row', [{ field: 'header', reason: 'required' }]);
    return rows;
  }

  private toRows(records: ReturnType<CsvParser['push']>): Row[] {
    const rows: Row[] = [];
    for (const r of records) {
      if (!this.header) {
        const header = normalizeCsvHeader(r.fields);
        const issues = r.error ? [{ field: 'header', reason: r.error }] : csvHeaderIssues(header);
        if (issues.length)
          throw new ImportAbortedError(
            `invalid CSV header: ${issues.map((i) => `${i.field} ${i.reason}`).join('; ')}`,
            issues,
          );
        this.header = header;
      } else if (r.error) {
        rows.push({ line: r.line, issues: [{ field: '(row)', reason: r.error }] });
      } else if (r.fields.length !== this.header.length) {
        rows.push({
          line: r.line,
          issues: [{ field: '(row)', reason: `has ${r.fields.length} fields, the header has ${this.header.length}` }],
        });
      } else {
        const value = csvRowToRequestInput(this.header, r.fields);
        // CSV cells reach no JSON guard: text PostgreSQL cannot store is refused here, named by column.
        const defects = findTextDefects(value).map((d) => ({ field: csvFieldOf(d.field), reason: d.detail }));
        rows.push(defects.length ? { line: r.line, issues: defects } : { line: r.line, value, csv: true });
      }
    }
    return rows;
  }
}
