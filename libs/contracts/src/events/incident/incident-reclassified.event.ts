import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { bhCodingSchema, idSchema } from '../../common.schemas';
import { reclassificationOriginSchema, reclassificationReasonCodeSchema } from '../../intake-codes.schemas';

export const incidentReclassifiedData = z.strictObject({
  incidentId: idSchema,
  previous: bhCodingSchema,
  current: bhCodingSchema,
  origin: reclassificationOriginSchema.describe(
    'manual: PUT /v1/incidents/{id}/indicators; review-queue: an accepted review item',
  ),
  reclassifiedBy: idSchema,
  reasonCode: reclassificationReasonCodeSchema,
  version: z.number().int().positive(),
});

export const incidentReclassified = defineEvent({
  type: 'cit.incident.reclassified.v1',
  topic: 'cit.incident.v1',
  aggregate: 'incident',
  producer: 'intake',
  summary: 'The behavioral-health coding of an incident was changed after dispatch.',
  data: incidentReclassifiedData,
  example: {
    incidentId: 'inc_01JD8Z6Q3KX7C2V9M4T5R8N1PA',
    previous: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
    current: { relatedTo: 'both', observations: ['intoxication'], suspectedUsing: ['A', 'D'] },
    origin: 'review-queue',
    reclassifiedBy: 'supervisor-0192',
    reasonCode: 'review-queue',
    version: 3,
  },
});
export type IncidentReclassified = z.infer<typeof incidentReclassifiedData>;
