import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** Filters of GET /v1/incidents and POST /v1/incidents/search. */
export const incidentFiltersSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().describe('occurredAt >= from'),
  to: z.iso.datetime({ offset: true }).optional().describe('occurredAt < to'),
  bh: z
    .enum(['mental-health', 'narcotics', 'both', 'neither', 'any'])
    .optional()
    .describe('behavioral-health flag; any = anything but neither'),
  district: z.string().trim().min(1).max(64).optional(),
  personId: z.string().min(1).max(64).optional().describe('incidents of this person (and persons merged into it)'),
  limit: limitParamSchema(),
  cursor: cursorParamSchema.optional(),
});
export type IncidentFilters = z.infer<typeof incidentFiltersSchema>;

/** POST /v1/incidents/search: the same filters plus a subject identity, matched by blind index (PHI stays out of URLs). */
export const searchIncidentsRequestSchema = incidentFiltersSchema.extend({
  subject: z
    .strictObject({
      name: z.string().trim().min(1).max(200),
      dateOfBirth: z.iso.date().optional(),
      phone: z.string().regex(/^[0-9+().\-\s]{7,25}$/, 'must be a phone number').optional(),
    })
    .refine((s) => s.dateOfBirth !== undefined || s.phone !== undefined, 'dateOfBirth or phone is required with name')
    .optional(),
});
export type SearchIncidentsRequest = z.infer<typeof searchIncidentsRequestSchema>;
