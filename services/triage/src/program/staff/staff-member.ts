import { z } from 'zod';
import { sectorSchema } from '@cit/contracts';

/** Roles a staff member holds in the CIT program (beyond their login role). */
export const staffRoleSchema = z.enum([
  'officer',
  'sergeant',
  'police-coordinator',
  'clinician',
  'social-worker',
  'recovery-coach',
  'public-health-nurse',
  'co-responder-counselor',
  'coordinator',
  'supervisor',
  'admin',
]);
export type StaffRole = z.infer<typeof staffRoleSchema>;

const distinct = (v: readonly string[]) => new Set(v).size === v.length;

/** The fields of a staff member a request sets (create and replace use the same shape). */
export const staffMemberFieldsSchema = z.strictObject({
  subject: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\s\u0000-\u001f]+$/, 'must be the sign-in subject (no spaces or control characters)')
    .describe('The staff member’s token subject (sub claim)'),
  displayName: z.string().trim().min(1).max(200),
  roles: z.array(staffRoleSchema).min(1).max(11).refine(distinct, 'must not repeat a role'),
  unit: z.string().trim().min(1).max(64).nullable().describe('Unit (e.g. COHR, CLEAR team), where the model has units'),
  sector: sectorSchema.nullable().describe('Social-justice unit sector, where the model has sectors'),
  cjisCleared: z.boolean().describe('CJIS security clearance: only cleared staff see police narratives'),
  cjisExpiresOn: z.iso.date().nullable().describe('Last day the clearance is valid; null = no expiry recorded'),
  active: z.boolean(),
});
export type StaffMemberFields = z.infer<typeof staffMemberFieldsSchema>;

/** True while a clearance holds on `today` (YYYY-MM-DD). */
export function clearanceHolds(m: Pick<StaffMemberFields, 'cjisCleared' | 'cjisExpiresOn' | 'active'>, today: string) {
  return m.active && m.cjisCleared && (m.cjisExpiresOn === null || m.cjisExpiresOn >= today);
}
