import { z } from 'zod';

/** POST /v1/imports query: the body's format and whether imported incidents are announced as events. */
export const runImportQuerySchema = z.strictObject({
  format: z.enum(['ndjson', 'csv']),
  // Historical backfill usually stays quiet: downstream services would re-triage years of calls.
  emitEvents: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type RunImportQuery = z.infer<typeof runImportQuerySchema>;

/** Content types the import reads as a stream (the JSON body parser leaves them alone). */
export const IMPORT_CONTENT_TYPES: Record<RunImportQuery['format'], string[]> = {
  ndjson: ['application/x-ndjson', 'application/ndjson', 'application/jsonl'],
  csv: ['text/csv'],
};
