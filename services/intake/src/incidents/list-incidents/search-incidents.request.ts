import { z } from 'zod';
import { listIncidentsQuerySchema } from './list-incidents.query';

/** POST /v1/incidents/search: the same filters plus a subject identity, matched by blind index (PHI stays out of URLs). */
export const searchIncidentsRequestSchema = listIncidentsQuerySchema.extend({
  subject: z
    .strictObject({
      name: z.string().trim().min(1).max(200),
      dateOfBirth: z.iso.date().optional(),
      phone: z
        .string()
        .regex(/^[0-9+().\-\s]{7,25}$/, 'must be a phone number')
        .optional(),
    })
    .refine((s) => s.dateOfBirth !== undefined || s.phone !== undefined, 'dateOfBirth or phone is required with name')
    .optional(),
});
export type SearchIncidentsRequest = z.infer<typeof searchIncidentsRequestSchema>;
