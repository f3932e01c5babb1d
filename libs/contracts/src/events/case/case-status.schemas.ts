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
