import { idSchema, riskLevelSchema } from '@cit/contracts';
import { z } from 'zod';
import { ageRangeSchema } from '../domain/age-range';
import { genderSchema, nominationReasonCodeSchema, seriesKindSchema } from '../domain/presentation-codes';
import { riskFactorsSchema } from '../domain/risk-factors';

const personNameSchema = z.string().trim().min(1).max(200);
const birthDateSchema = z.iso.date();

// What partner and staff nominations share: a minimal identity and the situation to present.
const nominationFields = {
  name: personNameSchema.optional().describe('The person’s name (encrypted at rest; disclosed only by the table)'),
  birthDate: birthDateSchema.optional().describe('Date of birth, YYYY-MM-DD (or give ageRange)'),
  ageRange: ageRangeSchema.optional().describe('Age band when the birth date is unknown'),
  gender: genderSchema.default('not-recorded'),
  riskFactors: riskFactorsSchema,
  riskLevel: riskLevelSchema,
  reasonCode: nominationReasonCodeSchema,
  reasonText: z
    .string()
    .trim()
    .min(1)
    .max(4000)
    .describe('The situation in words (shown to lead and assisting agencies only)'),
  callbackContact: z.string().trim().min(1).max(300).optional().describe('How the nominator can be reached'),
  seriesKind: seriesKindSchema.optional().describe('Preferred kind of table'),
};

type IdentityInput = { personId?: string; name?: string; birthDate?: string; ageRange?: unknown };

function requireIdentity(v: IdentityInput, ctx: z.RefinementCtx, personIdAllowed: boolean): void {
  if (personIdAllowed && v.personId) return;
  if (!v.name) {
    ctx.addIssue({
      code: 'custom',
      path: ['name'],
      message: personIdAllowed ? 'name or personId is required' : 'is required',
    });
    return;
  }
  if (!v.birthDate && !v.ageRange)
    ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'birthDate or ageRange is required' });
}

/** POST /v1/nominations (staff: officer, clinician, coordinator, supervisor). */
export const staffNominationRequestSchema = z
  .strictObject({
    personId: idSchema.optional().describe('The person as intake knows them (instead of name and birth date)'),
    triageCaseId: idSchema.optional().describe('The person’s care-coordination case, if any'),
    ...nominationFields,
  })
  .superRefine((v, ctx) => requireIdentity(v, ctx, true));
export type StaffNominationRequest = z.infer<typeof staffNominationRequestSchema>;

/** POST /v1/partner/nominations (a member agency's partner token). */
export const partnerNominationRequestSchema = z
  .strictObject(nominationFields)
  .superRefine((v, ctx) => requireIdentity(v, ctx, false));
export type PartnerNominationRequest = z.infer<typeof partnerNominationRequestSchema>;

/** Example bodies for the OpenAPI document. */
export const nominationRequestExample = {
  name: 'Jordan Example',
  birthDate: '1991-04-17',
  gender: 'male',
  riskFactors: ['mental-health', 'housing', 'suicide-risk'],
  riskLevel: 'urgent',
  reasonCode: 'escalating-behaviour',
  reasonText: 'Three welfare checks this month; recently evicted; stopped attending appointments.',
  callbackContact: 'Outreach desk 617-555-0100',
  seriesKind: 'hub',
};
