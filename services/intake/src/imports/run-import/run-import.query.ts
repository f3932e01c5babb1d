import { importFormatSchema } from '@cit/contracts';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/** POST /v1/imports query: the body's format, whether imported incidents are announced as events, and whether they are screened. */
export const runImportQuerySchema = z.strictObject({
  format: importFormatSchema,
  // Historical backfill usually stays quiet: downstream services would re-triage years of calls.
  emitEvents: flag,
  // Off by default for the same reason: years of history would flood the review queue. A
  // department importing recent calls it wants reviewed turns it on.
  screen: flag,
});
export type RunImportQuery = z.infer<typeof runImportQuerySchema>;

/** Content types the import reads as a stream (the JSON body parser leaves them alone). */
export const IMPORT_CONTENT_TYPES: Record<RunImportQuery['format'], string[]> = {
  ndjson: ['application/x-ndjson', 'application/ndjson', 'application/jsonl'],
  csv: ['text/csv'],
};
