import { z } from 'zod';

/** GET /v1/imports/{id} query: a page of the error report, by line. */
export const getImportQuerySchema = z.strictObject({
  errorLimit: z.coerce.number().int().min(0).max(1000).default(1000),
  errorsAfterLine: z.coerce.number().int().min(0).default(0),
});
export type GetImportQuery = z.infer<typeof getImportQuerySchema>;
