import { z } from 'zod';

/** Gender as the presentation shows it; 'not-recorded' when the nominator did not say. */
export const genderSchema = z.enum(['female', 'male', 'non-binary', 'another-gender', 'not-recorded']);
export type Gender = z.infer<typeof genderSchema>;

/** Why the case is brought to the table (the coded reason the de-identified presentation shows). */
export const nominationReasonCodeSchema = z.enum([
  'repeat-contacts',
  'acutely-elevated-risk',
  'escalating-behaviour',
  'service-gap',
  'family-concern',
  'clinician-request',
  'partner-request',
  'other',
]);
export type NominationReasonCode = z.infer<typeof nominationReasonCodeSchema>;

/** Series kinds a nominator may prefer (conference_series.kind). */
export const seriesKindSchema = z.enum(['hub', 'ccit', 'clear', 'stakeholder', 'cross-training', 'custom']);

/** How a family member relates to the person (public form). */
export const relationshipSchema = z.enum([
  'parent',
  'child',
  'sibling',
  'spouse-or-partner',
  'grandparent',
  'other-relative',
  'friend',
  'neighbour',
  'other',
]);
