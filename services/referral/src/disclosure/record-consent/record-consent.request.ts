import { disclosureCategorySchema } from '@cit/contracts';
import { z } from 'zod';

/** POST /v1/persons/{id}/consents: the person's consent to share, with its scope and expiry. */
export const recordConsentRequestSchema = z.strictObject({
  categories: z
    .array(disclosureCategorySchema)
    .min(1)
    .max(5)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a category'),
  agencyIds: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/))
    .max(50)
    .default([])
    .describe('recipients named in the consent; empty = any partner under an MOU'),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type RecordConsentRequest = z.infer<typeof recordConsentRequestSchema>;
