import { z } from 'zod';
import { sectorSchema } from '@cit/contracts';
import { staffRoleSchema } from '../staff-member';

/** GET /v1/staff query. */
export const listStaffQuerySchema = z.strictObject({
  role: staffRoleSchema.optional(),
  sector: sectorSchema.optional(),
  active: z.enum(['true', 'false']).optional().describe('true: active staff only'),
});
export type ListStaffQuery = z.infer<typeof listStaffQuerySchema>;
