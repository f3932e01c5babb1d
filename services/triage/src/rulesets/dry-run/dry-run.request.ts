import { z } from 'zod';
import { bhCodingSchema, encounterSchema, incidentSourceSchema, subjectFlagsSchema } from '@cit/contracts';

/** One sample incident: the codes intake records (no PHI), plus what triage would know about the person. */
export const dryRunIncidentSchema = z.strictObject({
  label: z.string().max(200).optional().describe('Echoed back to tell the samples apart'),
  callType: z.string().min(1).max(64),
  disposition: z.string().min(1).max(64).optional(),
  district: z.string().min(1).max(64).optional(),
  encounter: encounterSchema,
  source: incidentSourceSchema.default('api'),
  behavioralHealth: bhCodingSchema,
  subject: z
    .strictObject({
      personKnown: z.boolean().default(true),
      language: z
        .string()
        .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
        .optional(),
      flags: subjectFlagsSchema,
    })
    .optional()
    .describe('The primary subject; omit for an incident with no subject'),
  subjectCount: z.number().int().min(0).max(20).optional(),
  crisisPlanOnFile: z.boolean().default(false),
  repeatContactRuleMet: z.boolean().default(false),
});

/** POST /v1/rulesets/{version}/dry-run */
export const dryRunRequestSchema = z.strictObject({
  incidents: z.array(dryRunIncidentSchema).min(1).max(500),
});
export type DryRunRequest = z.infer<typeof dryRunRequestSchema>;

export const dryRunExample = {
  incidents: [
    {
      label: 'suicidal statements with a knife',
      callType: 'welfare-check',
      encounter: 'non-criminal',
      behavioralHealth: {
        relatedTo: 'mental-health',
        observations: ['suicidal-statements', 'weapon-present'],
        suspectedUsing: ['N'],
      },
      subject: { flags: { juvenile: false, senior: false, veteran: false, experiencingHomelessness: false } },
    },
  ],
};
