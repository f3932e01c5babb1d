import { z } from 'zod';

/**
 * Codes of the intake domain that its events, its HTTP API and its tables share. Services
 * derive their types from these (z.infer) instead of listing the values again.
 */

export const encounterSchema = z.enum(['criminal', 'non-criminal']);
export type Encounter = z.infer<typeof encounterSchema>;

/** How an incident entered the platform: a single report over the API or a bulk RMS import. */
export const incidentSourceSchema = z.enum(['api', 'import']);
export type IncidentSource = z.infer<typeof incidentSourceSchema>;

/** Who changed the behavioral-health coding: PUT indicators, an accepted review item, or an import. */
export const reclassificationOriginSchema = z.enum(['manual', 'review-queue', 'import']);
export type ReclassificationOrigin = z.infer<typeof reclassificationOriginSchema>;

/** Why the behavioral-health coding changed. */
export const reclassificationReasonCodeSchema = z.enum([
  'new-information',
  'clinical-review',
  'review-queue',
  'data-entry-error',
  'supervisor-correction',
  'other',
]);
export type ReclassificationReasonCode = z.infer<typeof reclassificationReasonCodeSchema>;

/** Why incident fields were corrected or supplemented. */
export const incidentUpdateReasonCodeSchema = z.enum([
  'data-entry-error',
  'new-information',
  'supplement',
  'supervisor-correction',
  'other',
]);
export type IncidentUpdateReasonCode = z.infer<typeof incidentUpdateReasonCodeSchema>;

export const incidentUpdateKindSchema = z.enum(['correction', 'supplement']);
export type IncidentUpdateKind = z.infer<typeof incidentUpdateKindSchema>;

/** Kinds of an incident's change history: the updates above and re-flags of the behavioral-health coding. */
export const incidentChangeKindSchema = z.enum([...incidentUpdateKindSchema.options, 'reclassification']);
export type IncidentChangeKind = z.infer<typeof incidentChangeKindSchema>;

/** States of a behavioral-health review item: pending until a supervisor decides or a reclassification answers it. */
export const reviewItemStatusSchema = z.enum(['pending', 'accepted', 'dismissed', 'superseded']);
export type ReviewItemStatus = z.infer<typeof reviewItemStatusSchema>;

/** Body formats of a bulk RMS import. */
export const importFormatSchema = z.enum(['ndjson', 'csv']);
export type ImportFormat = z.infer<typeof importFormatSchema>;

export const importStatusSchema = z.enum(['running', 'completed', 'failed']);
export type ImportStatus = z.infer<typeof importStatusSchema>;
