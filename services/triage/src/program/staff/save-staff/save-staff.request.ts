import type { z } from 'zod';
import { staffMemberFieldsSchema } from '../staff-member';

/** POST /v1/staff and PUT /v1/staff/{id}: a staff member's complete record. */
export const staffMemberRequestSchema = staffMemberFieldsSchema;
export type StaffMemberRequest = z.infer<typeof staffMemberRequestSchema>;

export const staffMemberExample: StaffMemberRequest = {
  subject: 'clinician-0311',
  displayName: 'R. Alvarez, LICSW',
  roles: ['clinician', 'social-worker'],
  unit: 'COHR',
  sector: 'mental-health',
  cjisCleared: true,
  cjisExpiresOn: '2027-06-30',
  active: true,
};
