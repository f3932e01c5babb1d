import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { encryptedValueSchema, idSchema, urgencySchema } from '../../common.schemas';
import { legalBasisSchema } from './referral-status.schemas';

export const referralRequestedData = z.strictObject({
  referralId: idSchema,
  agencyId: idSchema,
  serviceId: idSchema.describe('HSDS 3.1 service id in the partner directory'),
  mouId: idSchema,
  caseId: idSchema.optional(),
  urgency: urgencySchema,
  needs: z.array(z.string().min(1).max(64)).min(1).max(8),
  legalBasis: legalBasisSchema,
  respondBy: z.iso.datetime({ offset: true }),
  attempt: z.number().int().positive().describe('1 for the first agency, higher after re-routing'),
  disclosure: z
    .strictObject({
      disclosureId: idSchema,
      fields: z.array(z.string().min(1).max(64)).min(1),
      values: z.record(z.string(), encryptedValueSchema),
      part2Notice: z.boolean().describe('42 CFR Part 2 redisclosure notice applies'),
    })
    .optional(),
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
    urgency: 'urgent',
    needs: ['mental-health'],
    legalBasis: 'consent',
    respondBy: '2026-11-27T12:00:00-05:00',
    attempt: 1,
    disclosure: {
      disclosureId: 'dis_01JD8Z7E6F7G8H9J0K1L2M3N4P',
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
