import { disclosureCategorySchema, mouStatusSchema } from '@cit/contracts';
import { z } from 'zod';
import { MOU_TEMPLATES } from '../mou.model';

const categoryTermSchema = z.strictObject({ shared: z.boolean(), consentRequired: z.boolean() });

/** PUT /v1/mous/{id}: an MOU with a partner agency, from one of the templates. */
export const upsertMouRequestSchema = z
  .strictObject({
    agencyId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    template: z.enum(MOU_TEMPLATES),
    serviceIds: z
      .array(z.uuid())
      .max(100)
      .default([])
      .describe('services covered; empty = every service of the agency'),
    effectiveFrom: z.iso.date(),
    expiresOn: z.iso.date(),
    status: mouStatusSchema.default('active'),
    terms: z
      .strictObject({
        treatment: z.boolean(),
        categories: z.strictObject(
          Object.fromEntries(disclosureCategorySchema.options.map((c) => [c, categoryTermSchema])) as Record<
            z.infer<typeof disclosureCategorySchema>,
            typeof categoryTermSchema
          >,
        ),
      })
      .optional()
      .describe("data-sharing terms; absent = the template's"),
    documentRef: z.string().min(1).max(500).describe('where the signed MOU is kept (document id or URL)'),
  })
  .refine((m) => m.expiresOn >= m.effectiveFrom, { message: 'must not be before effectiveFrom', path: ['expiresOn'] });
export type UpsertMouRequest = z.infer<typeof upsertMouRequestSchema>;

export const mouIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
