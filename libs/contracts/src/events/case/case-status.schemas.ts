import { z } from 'zod';

/** Care-coordination case states (DESIGN: open → in-contact → stabilized | connected | closed-no-contact | transferred). */
export const caseStatusSchema = z.enum([
  'open',
  'in-contact',
  'stabilized',
  'connected-to-long-term-services',
  'closed-no-contact',
  'transferred',
]);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

/** The states that end a case (reminders stop). */
export const caseClosedStatusSchema = caseStatusSchema.extract([
  'stabilized',
  'connected-to-long-term-services',
  'closed-no-contact',
  'transferred',
]);
export type CaseClosedStatus = z.infer<typeof caseClosedStatusSchema>;

/** How a case came to be: a triage decision, opened by hand, or re-entry outreach after release from incarceration. */
export const caseSourceSchema = z.enum(['triage', 'manual', 're-entry']);
export type CaseSource = z.infer<typeof caseSourceSchema>;

/** Outreach channels: phone, home visit, in person with or without an officer. */
export const outreachChannelSchema = z.enum(['phone', 'home-visit', 'in-person', 'in-person-with-officer']);
export type OutreachChannel = z.infer<typeof outreachChannelSchema>;

/** Whether an outreach contact reached the person. */
export const outreachOutcomeSchema = z.enum(['attempted', 'made']);
export type OutreachOutcome = z.infer<typeof outreachOutcomeSchema>;

/**
 * The person's contact preference as follow-up must honor it (no PHI: a flag and channel codes).
 * doNotContact: no outreach at all; allowedChannels: when present, outreach only through these.
 */
export const contactPreferenceFlagsSchema = z.strictObject({
  doNotContact: z.boolean(),
  allowedChannels: z.array(outreachChannelSchema).max(4).optional(),
});
export type ContactPreferenceFlags = z.infer<typeof contactPreferenceFlagsSchema>;
