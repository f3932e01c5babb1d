import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { encryptedValueSchema, idSchema, urgencySchema } from '../../common.schemas';
import { disclosureCategorySchema, legalBasisSchema, referralSlaSchema } from './referral-status.schemas';

export const referralRequestedData = z.strictObject({
  referralId: idSchema,
  agencyId: idSchema,
  serviceId: idSchema.describe('HSDS 3.1 service id in the partner directory'),
  mouId: idSchema,
  caseId: idSchema.optional(),
  personId: idSchema.optional().describe('absent on the partner topic unless the MOU allows identity'),
  triageId: idSchema.optional(),
  urgency: urgencySchema,
  needs: z.array(z.string().min(1).max(64)).min(1).max(8),
  legalBasis: legalBasisSchema,
  respondBy: z.iso.datetime({ offset: true }).describe('same as sla.acceptBy (kept for existing consumers)'),
  sla: referralSlaSchema.optional(),
  attempt: z.number().int().positive().describe('1 for the first agency, higher after re-routing'),
  reroutedFrom: idSchema.optional().describe('the referral this one replaces after a rejection or SLA breach'),
  disclosure: z
    .strictObject({
      disclosureId: idSchema,
      categories: z.array(disclosureCategorySchema).max(5).optional(),
      fields: z.array(z.string().min(1).max(64)).min(1),
      values: z.record(z.string(), encryptedValueSchema),
      part2Notice: z.boolean().describe('42 CFR Part 2 redisclosure notice applies'),
      redisclosureNotice: z
        .string()
        .min(1)
        .max(4000)
        .optional()
        .describe('the 42 CFR 2.32 notice text, present whenever part2Notice is true'),
    })
    .optional()
    .describe('only on the agency topic and webhooks, never on cit.referral.v1'),
});

export const referralRequested = defineEvent({
  type: 'cit.referral.requested.v1',
  topic: 'cit.referral.v1',
  aggregate: 'referral',
  producer: 'referral',
  summary: 'A person was referred to a partner agency under an MOU (also delivered on the agency topic).',
  data: referralRequestedData,
  phiFields: ['disclosure.values'],
  example: {
    referralId: 'ref_01JD8Z7D5E6F7G8H9J0K1L2M3N',
    agencyId: 'metro-mobile-crisis',
    serviceId: 'svc-mobile-crisis-adult',
    mouId: 'mou-2026-metro-cbhc',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    triageId: 'tri_01JD8Z7A1B2C3D4E5F6G7H8J9K',
    urgency: 'urgent',
    needs: ['mental-health'],
    legalBasis: 'consent',
    respondBy: '2026-11-27T12:00:00-05:00',
    sla: { receiveBy: '2026-11-27T11:15:00-05:00', acceptBy: '2026-11-27T12:00:00-05:00' },
    attempt: 1,
    disclosure: {
      disclosureId: 'dis_01JD8Z7E6F7G8H9J0K1L2M3N4P',
      categories: ['identity', 'contact'],
      fields: ['name', 'phone'],
      values: {
        name: 'enc:v1:agency-metro:d3JhcHBlZA:aXY:dGFn:Y2lwaGVy',
        phone: 'enc:v1:agency-metro:d3JhcHBlZA:aXY:dGFn:Y2lwaGVy',
      },
      part2Notice: false,
    },
  },
});
export type ReferralRequested = z.infer<typeof referralRequestedData>;
