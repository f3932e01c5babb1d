import { idSchema, outreachChannelSchema, outreachOutcomeSchema } from '@cit/contracts';
import { z } from 'zod';

/** POST /v1/cases/{id}/contacts: one outreach contact, attempted or made. Notes are PHI and stored encrypted. */
export const logContactRequestSchema = z.strictObject({
  outcome: outreachOutcomeSchema,
  channel: outreachChannelSchema,
  /** Who reached out: staff outreach honors the contact preference; a contact the person starts is always logged. */
  initiatedBy: z.enum(['staff', 'person']).default('staff'),
  contactedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('when the contact happened (default now); never in the future')
    .refine((v) => v === undefined || Date.parse(v) <= Date.now() + 60_000, 'must not be in the future'),
  contactedBy: idSchema.optional().describe('staff member who made the contact (default: the caller)'),
  notes: z.string().trim().min(1).max(4000).optional(),
});
export type LogContactRequest = z.infer<typeof logContactRequestSchema>;
