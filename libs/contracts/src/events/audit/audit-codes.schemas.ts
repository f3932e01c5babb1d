import { z } from 'zod';

/** A platform role name as events carry it (the role list itself lives in @cit/auth). */
export const roleNameSchema = z.string().regex(/^[a-z][a-z-]{1,31}$/);

/** Why PHI was accessed (HIPAA purpose of use); break-glass only through a stated break-glass reason. */
export const purposeOfUseSchema = z.enum(['treatment', 'care-coordination', 'operations', 'break-glass']);
export type PurposeOfUse = z.infer<typeof purposeOfUseSchema>;
