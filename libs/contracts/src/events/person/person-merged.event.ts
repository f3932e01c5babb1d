import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, timestampSchema } from '../../common.schemas';

// Ids only: the reason a supervisor gives is free text and stays in intake's person_merge row.
export const personMergedData = z.strictObject({
  survivingPersonId: idSchema.describe('the person the merged person was folded into; the CloudEvents subject'),
  mergedPersonId: idSchema.describe('the duplicate person; its incidents now belong to the surviving person'),
  mergeId: idSchema.describe('the merge record; cit.person.unmerged.v1 names it when the merge is undone'),
  mergedAt: timestampSchema,
});

export const personMerged = defineEvent({
  type: 'cit.person.merged.v1',
  topic: 'cit.incident.v1',
  aggregate: 'person',
  producer: 'intake',
  summary:
    'Two person records of a department were found to be the same person: the merged person and its incidents now belong to the surviving person.',
  data: personMergedData,
  example: {
    survivingPersonId: 'per_0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    mergedPersonId: 'per_7a1b2c3d4e5f60718293a4b5c6d7e8f9',
    mergeId: 'pmg_1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
    mergedAt: '2026-12-01T23:10:00.000Z',
  },
});
export type PersonMerged = z.infer<typeof personMergedData>;
