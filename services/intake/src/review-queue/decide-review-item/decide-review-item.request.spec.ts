import { acceptReviewItemRequestSchema } from './decide-review-item.request';

// Found by the API fuzz suite: a coding the reclassified event refuses used to pass this schema
// and fail the event's validation inside the transaction (500) instead of answering 400.
describe('acceptReviewItemRequestSchema', () => {
  const base = { relatedTo: 'narcotics', reason: 'confirmed' } as const;

  it('refuses the codings the incident event refuses, naming the field', () => {
    for (const [field, value] of [
      ['suspectedUsing', ['N', 'C']],
      ['suspectedUsing', ['A', 'A']],
      ['observations', ['trauma', 'trauma']],
    ] as const) {
      const result = acceptReviewItemRequestSchema.safeParse({ ...base, [field]: value });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual([field]);
    }
  });

  it('keeps accepting a coding without them, and no coding at all', () => {
    expect(
      acceptReviewItemRequestSchema.safeParse({ ...base, suspectedUsing: ['N'], observations: ['trauma'] }).success,
    ).toBe(true);
    expect(acceptReviewItemRequestSchema.safeParse(base).success).toBe(true);
  });
});
