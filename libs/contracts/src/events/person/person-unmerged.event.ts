import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, timestampSchema } from '../../common.schemas';

// Ids only: the reason for the undo is free text and stays in intake's person_merge row.
export const personUnmergedData = z.strictObject({
  survivingPersonId: idSchema.describe('the person the merge had folded into; the CloudEvents subject'),
  mergedPersonId: idSchema.describe('the person restored: the incidents the merge moved belong to it again'),
  mergeId: idSchema.describe('the merge undone (from cit.person.merged.v1)'),
  unmergedAt: timestampSchema,
});

export const personUnmerged = defineEvent({
  type: 'cit.person.unmerged.v1',
  topic: 'cit.incident.v1',
  aggregate: 'person',
  producer: 'intake',
  summary:
    'A person merge was undone: the merged person exists again and exactly the incidents the merge moved belong to it again.',
  data: personUnmergedData,
  example: {
    survivingPersonId: 'per_0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    mergedPersonId: 'per_7a1b2c3d4e5f60718293a4b5c6d7e8f9',
    mergeId: 'pmg_1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
    unmergedAt: '2026-12-02T09:30:00.000Z',
  },
});
export type PersonUnmerged = z.infer<typeof personUnmergedData>;
