import { isWellFormedId } from '@cit/service-kit';
import { z } from 'zod';

// The form of agency ids in tokens (libs/auth principal) and in the MOU projection.
const agencyIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be an agency id');

/** POST /v1/calendar-feeds: a feed of one series, or of every series an agency is a member of. */
export const createCalendarFeedRequestSchema = z.discriminatedUnion('scope', [
  z.strictObject({
    scope: z.literal('series'),
    seriesId: z.string().refine((v) => isWellFormedId(v, 'ser'), 'must be a series id (ser_…)'),
  }),
  z.strictObject({
    scope: z.literal('agency'),
    agencyId: agencyIdSchema,
  }),
]);
export type CreateCalendarFeedRequest = z.infer<typeof createCalendarFeedRequestSchema>;

/** Example body for the API docs. */
export const createCalendarFeedExample: CreateCalendarFeedRequest = {
  scope: 'series',
  seriesId: 'ser_0f8e4c1a2b3d4e5f60718293a4b5c6d7',
};
