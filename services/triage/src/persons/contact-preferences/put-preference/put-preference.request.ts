import { outreachChannelSchema } from '@cit/contracts';
import { z } from 'zod';

/** PUT /v1/persons/{personId}/contact-preference: how (and whether) outreach may reach the person. */
export const putContactPreferenceRequestSchema = z.strictObject({
  doNotContact: z.boolean(),
  /** Outreach only through these channels; absent: any channel. */
  allowedChannels: z
    .array(outreachChannelSchema)
    .min(1)
    .max(4)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a channel')
    .optional(),
});
export type PutContactPreferenceRequest = z.infer<typeof putContactPreferenceRequestSchema>;
