import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';
import { mouStatusSchema } from './referral-status.schemas';

export const mouChangedData = z.strictObject({
  mouId: idSchema,
  agencyId: idSchema,
  status: mouStatusSchema,
  effectiveFrom: z.iso.date(),
  expiresOn: z.iso.date().describe('last day the MOU is in force'),
  revision: z.number().int().positive().describe('increases with every change of the MOU'),
});

export const mouChanged = defineEvent({
  type: 'cit.referral.mou-changed.v1',
  topic: 'cit.referral.v1',
  aggregate: 'mou',
  producer: 'referral',
  summary: 'A partner agency MOU was created, renewed, amended, suspended or terminated (ids and dates only).',
  data: mouChangedData,
  example: {
    mouId: 'mou-2026-metro-cbhc',
    agencyId: 'metro-mobile-crisis',
    status: 'active',
    effectiveFrom: '2026-01-01',
    expiresOn: '2026-12-31',
    revision: 2,
  },
});
export type MouChanged = z.infer<typeof mouChangedData>;
