import { z } from 'zod';
import { relationshipSchema } from '../domain/presentation-codes';

/**
 * POST /v1/public/departments/{departmentId}/nominations: what a family member tells the
 * program, and no more (minimum necessary). A coordinator verifies it before it counts.
 */
export const familyNominationRequestSchema = z
  .strictObject({
    personName: z.string().trim().min(1).max(200),
    birthDate: z.iso.date().optional(),
    approximateAge: z.number().int().min(0).max(120).optional(),
    concern: z.string().trim().min(1).max(4000).describe('What worries you, in your words'),
    relationship: relationshipSchema,
    callbackContact: z.string().trim().min(3).max(300).describe('A phone number or e-mail to call you back'),
  })
  .superRefine((v, ctx) => {
    if (v.birthDate === undefined && v.approximateAge === undefined) {
      ctx.addIssue({ code: 'custom', path: ['approximateAge'], message: 'approximateAge or birthDate is required' });
    }
  });
export type FamilyNominationRequest = z.infer<typeof familyNominationRequestSchema>;

/** Department ids as tokens carry them; anything else names no department. */
export const PUBLIC_DEPARTMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
