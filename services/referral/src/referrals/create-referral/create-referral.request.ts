import { ageRangeSchema, idSchema, riskLevelSchema, triageNeedSchema, urgencySchema } from '@cit/contracts';
import { z } from 'zod';
import { SERVICE_KINDS } from '../../directory/directory.model';
import { referralPacketSchema } from '../referral-packet';

/** POST /v1/referrals: a coordinator refers a person (optionally choosing the agency among the candidates). */
export const createReferralRequestSchema = z.strictObject({
  personId: idSchema.optional(),
  caseId: idSchema.optional(),
  needs: z.array(triageNeedSchema).min(1).max(10),
  kinds: z.array(z.enum(SERVICE_KINDS)).max(5).default([]),
  urgency: urgencySchema,
  riskLevel: riskLevelSchema,
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .optional(),
  ageRange: ageRangeSchema.default('unknown'),
  area: z.string().min(1).max(64).optional(),
  imminentThreat: z.boolean().default(false).describe('a serious and imminent threat (HIPAA 164.512(j)) was assessed'),
  agencyId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional()
    .describe('the coordinator’s choice among the candidates'),
  packet: referralPacketSchema.default({}),
});
export type CreateReferralRequest = z.infer<typeof createReferralRequestSchema>;
