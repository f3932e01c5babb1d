import { z } from 'zod';
import { idSchema } from './envelope';

/** PHI travels only as field-encryption ciphertext (see @cit/persistence FieldCipher). */
export const encryptedValueSchema = z
  .string()
  // v2 tokens are bound to their place (table, column, department, row); v1 are the legacy unbound ones.
  .regex(/^enc:v[12]:[A-Za-z0-9._-]+:/, 'must be field-encryption ciphertext (enc:v1:... or enc:v2:...)')
  .describe('PHI encrypted with the platform field encryption (AES-256-GCM envelope); never plaintext');

export const timestampSchema = z.iso.datetime({ offset: true });

/** NIBRS-based RMS practice: possibly related to mental health, narcotics misuse, both, or neither. */
export const bhRelatedToSchema = z.enum(['mental-health', 'narcotics', 'both', 'neither']);

/** Officer observations recorded with the behavioral-health coding. */
export const bhObservationSchema = z.enum([
  'suicidal-statements',
  'weapon-present',
  'intoxication',
  'developmental-disability',
  'trauma',
  'overdose',
]);

/** NIBRS "offender suspected of using": A alcohol, D drugs/narcotics, C computer equipment, N not applicable. */
export const suspectedUsingSchema = z.enum(['A', 'D', 'C', 'N']);

const distinct = (codes: readonly string[]) => new Set(codes).size === codes.length;

export const bhCodingSchema = z.strictObject({
  relatedTo: bhRelatedToSchema,
  observations: z.array(bhObservationSchema).max(6).refine(distinct, 'must not repeat a code'),
  suspectedUsing: z
    .array(suspectedUsingSchema)
    .max(3)
    .refine(distinct, 'must not repeat a code')
    .refine(
      (codes) => !codes.includes('N') || codes.length === 1,
      'N (not applicable) cannot be combined with other codes',
    ),
});
export type BhCoding = z.infer<typeof bhCodingSchema>;

export const subjectFlagsSchema = z.strictObject({
  juvenile: z.boolean(),
  senior: z.boolean(),
  veteran: z.boolean(),
  experiencingHomelessness: z.boolean(),
});

/**
 * Risk a triage decision assigns (issue 9): imminent asks for mobile crisis at once, urgent for
 * follow-up within a day, routine for ordinary outreach, none for no behavioral-health risk seen.
 */
export const riskLevelSchema = z.enum(['none', 'routine', 'urgent', 'imminent']);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

/** Needs a triage decision identifies; referral routing matches them to partner services. */
export const triageNeedSchema = z.enum([
  'mental-health',
  'substance-use',
  'housing',
  'youth',
  'elder',
  'overdose-follow-up',
  'developmental-disability',
  'trauma',
  'family-support',
  're-entry',
]);
export type TriageNeed = z.infer<typeof triageNeedSchema>;

/**
 * What happens next: mobile crisis now (the area CBHC's Mobile Crisis Intervention team),
 * co-responder follow-up, clinician outreach, partner referral, case-conference nomination,
 * or no further action.
 */
export const triagePathwaySchema = z.enum([
  'mobile-crisis-now',
  'co-responder-follow-up',
  'clinician-outreach',
  'partner-referral',
  'case-conference-nomination',
  'no-further-action',
]);
export type TriagePathway = z.infer<typeof triagePathwaySchema>;

/** Age range derived from intake's subject flags (no date of birth leaves triage). */
export const ageRangeSchema = z.enum(['juvenile', 'adult', 'senior', 'unknown']);
export type AgeRange = z.infer<typeof ageRangeSchema>;

/** Sectors of a social-justice unit (Cambridge model). */
export const sectorSchema = z.enum(['homelessness', 'seniors', 'juveniles', 'overdose', 'mental-health']);
export type Sector = z.infer<typeof sectorSchema>;
export const urgencySchema = z.enum(['routine', 'urgent', 'emergent']);

export { idSchema };
