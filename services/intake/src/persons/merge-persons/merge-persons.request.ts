import { z } from 'zod';

const reason = z.string().trim().min(1).max(500);

/** POST /v1/persons/{id}/merge: fold the person into another of the same department. */
export const mergePersonsRequestSchema = z.strictObject({
  intoPersonId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be a person id'),
  reason,
});
export type MergePersonsRequest = z.infer<typeof mergePersonsRequestSchema>;

/** POST /v1/persons/merges/{mergeId}/undo: why the merge was wrong. */
export const undoPersonMergeRequestSchema = z.strictObject({ reason });
export type UndoPersonMergeRequest = z.infer<typeof undoPersonMergeRequestSchema>;
