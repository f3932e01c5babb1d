import { z } from 'zod';
import { reminderTargetTypeSchema } from '@cit/contracts';

const targetId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'an id');

/** POST /v1/notification-endpoints: where a user's, unit's or agency's reminders are also sent. */
export const createNotificationEndpointRequestSchema = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('webhook'),
    target: z.strictObject({ type: reminderTargetTypeSchema, id: targetId }),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    /** Standard Webhooks secret: whsec_ + base64 of 24 to 64 bytes. */
    secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'whsec_ followed by base64'),
  }),
  z.strictObject({
    channel: z.literal('email'),
    target: z.strictObject({ type: reminderTargetTypeSchema, id: targetId }),
    email: z.email().max(254),
  }),
]);
export type CreateNotificationEndpointRequest = z.infer<typeof createNotificationEndpointRequestSchema>;
