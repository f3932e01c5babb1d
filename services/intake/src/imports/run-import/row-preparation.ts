import { newId } from '@cit/contracts';
import {
  incidentRecordFromRequest,
  incidentReportedEvent,
  type IncidentRecord,
  type PhiProtection,
} from '../../incidents/incident.mapper';
import type { SubjectIndexes } from '../../persons/person-matching';
import type { IncidentToScreen } from '../../review-queue/review-screener.service';
import { csvFieldOf, validateImportRow, type RowIssue } from '../import-row';
import { incidentCopyLine, subjectCopyPrefix } from './copy-text';

/**
 * The CPU work of the bulk import for one row — parse, validate, encrypt, blind-index, the
 * COPY lines and the event — as a plain function of its input, so the worker threads and the
 * main thread (for the rare row it must see itself) prepare rows identically. No Nest, no
 * database: the batch writer does matching and storage.
 */

/** What every row of one import shares. */
export interface PrepareContext {
  departmentId: string;
  createdBy: string;
  emitEvents: boolean;
  screen: boolean;
  correlationId: string;
  causationId?: string;
}

/** A row as the main thread hands it over: NDJSON text, or a CSV record already mapped (and text-checked). */
export type RawRow = { line: number; text: string } | { line: number; value: unknown; csv: true };

/** A subject of a prepared row: ids and blind indexes for matching, its COPY line without person_id. */
export interface PreparedSubject {
  id: string;
  personMatchIndex: string | null;
  personPhoneIndex: string | null;
  /** The indexes under the previous blind-index version while a rotation runs (lookups only, never stored). */
  previous: SubjectIndexes['previous'];
  copyPrefix: string;
}

/** A valid row, ready to store: PHI already ciphertext. */
export interface PreparedImportRow {
  line: number;
  incidentId: string;
  incidentCopy: string;
  subjects: PreparedSubject[];
  /** cit.incident.reported.v1 as JSON, person ids still placeholders (see PENDING_PERSON), when the import emits events. */
  event?: { id: string; json: string };
  /** Plaintext for screening, kept only when the import screens and only until its batch commits. */
  screening?: IncidentToScreen;
}

export type RowOutcome =
  | { line: number; row: PreparedImportRow }
  | { line: number; issues: RowIssue[] }
  /** The text may hold characters PostgreSQL cannot store: the main thread checks it with the chassis' text guard. */
  | { line: number; recheck: true };

/** Placeholder person id in a prepared event, replaced once matching has chosen the person (a valid id, so the event validates). */
export const PENDING_PERSON = 'cit.pending-person:';
const PENDING_PERSON_JSON = /"cit\.pending-person:([A-Za-z0-9._:-]+)"/g;

/** The event JSON with each subject's placeholder replaced by its person id. */
export function withPersonIds(json: string, personOf: (subjectId: string) => string | undefined): string {
  return json.replace(PENDING_PERSON_JSON, (_m, subjectId: string) => {
    const person = personOf(subjectId);
    if (!person) throw new Error('withPersonIds: a subject has no person');
    return JSON.stringify(person);
  });
}

// JSON can carry NUL or a lone surrogate only as a \u escape; lines without one need no text guard.
const MAYBE_UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * Prepares one row. `textIssues`, when given, checks the parsed value for text PostgreSQL
 * cannot store (the main thread passes the chassis' guard); without it, an NDJSON line that
 * might hold such text comes back as `recheck`.
 */
export function prepareImportRow(
  raw: RawRow,
  ctx: PrepareContext,
  protect: PhiProtection,
  now: Date,
  textIssues?: (value: unknown, fieldOf?: (path: string) => string) => RowIssue[],
): RowOutcome {
  let value: unknown;
  let fieldOf: ((path: string) => string) | undefined;
  if ('text' in raw) {
    if (!textIssues && MAYBE_UNSTORABLE.test(raw.text)) return { line: raw.line, recheck: true };
    try {
      value = JSON.parse(raw.text);
    } catch {
      // JSON.parse's message quotes the input: say only that the line is not JSON.
      return { line: raw.line, issues: [{ field: '(row)', reason: 'not valid JSON' }] };
    }
    const defects = textIssues?.(value);
    if (defects?.length) return { line: raw.line, issues: defects };
  } else {
    value = raw.value;
    fieldOf = csvFieldOf;
  }
  const checked = validateImportRow(value, fieldOf);
  if (!checked.ok) return { line: raw.line, issues: checked.issues };
  const req = checked.request;
  const incidentId = newId('inc');
  const record: IncidentRecord = incidentRecordFromRequest(
    req,
    { incidentId, departmentId: ctx.departmentId, createdBy: ctx.createdBy, now, source: 'import' },
    protect,
  );
  let event: PreparedImportRow['event'];
  if (ctx.emitEvents) {
    for (const s of record.subjects) s.personId = `${PENDING_PERSON}${s.id}`;
    const built = incidentReportedEvent(record, ctx);
    event = { id: built.id, json: JSON.stringify(built) };
  }
  return {
    line: raw.line,
    row: {
      line: raw.line,
      incidentId,
      incidentCopy: incidentCopyLine(record),
      subjects: record.subjects.map((s) => ({
        id: s.id,
        personMatchIndex: s.personMatchIndex,
        personPhoneIndex: s.personPhoneIndex,
        previous: s.previous,
        copyPrefix: subjectCopyPrefix(s),
      })),
      event,
      screening: ctx.screen
        ? {
            incidentId,
            departmentId: ctx.departmentId,
            callType: req.callType,
            narrative: req.narrative,
            observations: req.behavioralHealth.observations,
            coding: req.behavioralHealth,
          }
        : undefined,
    },
  };
}
