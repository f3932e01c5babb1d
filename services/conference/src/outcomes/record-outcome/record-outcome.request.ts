import { idSchema } from '@cit/contracts';
import { z } from 'zod';

/** Where a case stands after the session: three close it, carry-over brings it back for a status update. */
export const outcomeStatusSchema = z.enum(['connected-to-services', 'risk-mitigated', 'refused', 'carry-over']);
export type OutcomeStatus = z.infer<typeof outcomeStatusSchema>;

/** The statuses that close the nomination. */
export const CLOSING_STATUSES: readonly OutcomeStatus[] = ['connected-to-services', 'risk-mitigated', 'refused'];

export const actionItemKindSchema = z.enum([
  'contact-person',
  'home-visit',
  'service-connection',
  'report-back',
  'other',
]);
export type ActionItemKind = z.infer<typeof actionItemKindSchema>;

/** POST /v1/sessions/{sessionId}/cases/{nominationId}/outcome: the table's plan for a case found at acutely elevated risk. */
export const recordOutcomeRequestSchema = z.strictObject({
  status: outcomeStatusSchema,
  leadAgencyId: idSchema.describe('an agency the table selected at filter 2'),
  assistingAgencyIds: z
    .array(idSchema)
    .max(20)
    .default([])
    .describe('agencies the table selected at filter 2, other than the lead')
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an agency'),
  actionItems: z
    .array(
      z.strictObject({
        ownerAgencyId: idSchema.describe('the lead or an assisting agency'),
        kind: actionItemKindSchema,
        /** May name the person: stored encrypted, shown only to program staff and the planning agencies. */
        description: z.string().trim().min(1).max(2000),
        dueAt: z.iso.datetime({ offset: true }).describe('when the owner is to have done it (in the future)'),
      }),
    )
    .max(50)
    .default([]),
});
export type RecordOutcomeRequest = z.infer<typeof recordOutcomeRequestSchema>;
