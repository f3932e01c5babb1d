import { cursorParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** GET /v1/imports/{id} query: a page of the error report, in whole lines. */
export const getImportQuerySchema = z.strictObject({
  errorLimit: z.coerce.number().int().min(0).max(1000).default(1000),
  errorsCursor: cursorParamSchema.optional(),
});
export type GetImportQuery = z.infer<typeof getImportQuerySchema>;
