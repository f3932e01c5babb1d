import { z } from 'zod';
import { webhookUrlProblem } from '../webhook-signature';

export const registerWebhookRequestSchema = z.strictObject({
  url: z
    .string()
    .max(2000)
    .superRefine((url, ctx) => {
      const problem = webhookUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
});
export type RegisterWebhookRequest = z.infer<typeof registerWebhookRequestSchema>;
