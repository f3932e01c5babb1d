import { z } from 'zod';

const queueName = z.enum(['reminders', 'notifications']);
const topic = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a topic name');

/** GET /v1/ops/jobs/failed */
export const failedJobsQuerySchema = z.strictObject({
  queue: queueName.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type FailedJobsQuery = z.infer<typeof failedJobsQuerySchema>;

/** POST /v1/ops/jobs/failed/retry */
export const retryFailedJobsRequestSchema = z.union([
  z.strictObject({ queue: queueName, ids: z.array(z.string().min(1).max(200)).min(1).max(1000) }),
  z.strictObject({ queue: queueName, all: z.literal(true) }),
]);
export type RetryFailedJobsRequest = z.infer<typeof retryFailedJobsRequestSchema>;

/** GET /v1/ops/dead-letters */
export const deadLettersQuerySchema = z.strictObject({
  topic,
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type DeadLettersQuery = z.infer<typeof deadLettersQuerySchema>;

/** GET /v1/ops/dead-letters/message and POST /v1/ops/dead-letters/replay */
export const deadLetterRefSchema = z.strictObject({
  topic,
  partition: z.coerce.number().int().min(0).max(10000),
  offset: z.string().regex(/^\d{1,19}$/, 'a non-negative integer'),
});
export type DeadLetterRef = z.infer<typeof deadLetterRefSchema>;
