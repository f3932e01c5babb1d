import { z } from 'zod';
import { followUpCadenceSchema, riskLevelSchema, type RiskLevel } from '@cit/contracts';

/**
 * A department's CIT program: the implementation model it runs and the settings the triage and
 * care-coordination flow reads. Plain TypeScript (no framework): the request schema, the
 * defaults and what each model changes in the flow live here.
 */

/** Implementation models of the Metro Boston CIT guidance. */
export const programModelSchema = z.enum(['in-house-clinical', 'social-justice', 'co-response', 'clear', 'ccit']);
export type ProgramModel = z.infer<typeof programModelSchema>;

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const businessHoursSchema = z
  .array(
    z
      .strictObject({ day: weekdaySchema, opens: clockTime, closes: clockTime })
      .refine((h) => h.opens < h.closes, { message: 'closes must be after opens', path: ['closes'] }),
  )
  .max(14)
  .describe('Staffed hours per weekday in the department time zone; no entry for a day = closed');

/** Which decisions wait for a supervisor in GET /v1/review-queue. */
export const reviewPolicySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({
    mode: z.literal('risk-levels'),
    riskLevels: z
      .array(riskLevelSchema)
      .min(1)
      .max(4)
      .refine((l) => new Set(l).size === l.length, 'must not repeat a risk level'),
  }),
]);
export type ReviewPolicy = z.infer<typeof reviewPolicySchema>;

/** Repeat-contact rule: `incidents` behavioral-health incidents of one person within `windowDays`. */
export const repeatContactRuleSchema = z.strictObject({
  incidents: z.number().int().min(2).max(20),
  windowDays: z.number().int().min(1).max(365),
});
export type RepeatContactRule = z.infer<typeof repeatContactRuleSchema>;

export const programSettingsSchema = z.strictObject({
  model: programModelSchema,
  mission: z.string().trim().max(4000).describe('Mission statement shown to staff and partners'),
  businessHours: businessHoursSchema,
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. America/New_York'),
  reviewPolicy: reviewPolicySchema,
  contactCadence: followUpCadenceSchema,
  repeatContactRule: repeatContactRuleSchema.nullable().describe('null: no repeat-contact nominations'),
  diversionProgram: z.boolean().describe('A jail-diversion program runs: cases can hold diversion plans'),
});
export type ProgramSettings = z.infer<typeof programSettingsSchema>;

/** What a department gets until an admin saves its own settings. */
export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = {
  model: 'in-house-clinical',
  mission: '',
  businessHours: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
    day,
    opens: '08:00',
    closes: '17:00',
  })),
  timeZone: 'America/New_York',
  reviewPolicy: { mode: 'none' },
  contactCadence: ['PT24H', 'PT72H', 'P7D', 'P7D'],
  repeatContactRule: { incidents: 3, windowDays: 30 },
  diversionProgram: false,
};

/** What the implementation model changes in the flow. */
export interface ModelEffects {
  /** Pathway a decision uses for follow-up by the department's own people. */
  followUpPathway: 'clinician-outreach' | 'co-responder-follow-up';
  /** Decisions get one of the five sectors (social-justice unit). */
  assignsSectors: boolean;
  /** A supervisor reviews every call, whatever the review policy says. */
  supervisorReviewsAll: boolean;
  /** Conference series a repeat-contact nomination asks for. */
  conferenceSeries: 'hub' | 'ccit' | 'clear';
  description: string;
}

const EFFECTS: Record<ProgramModel, ModelEffects> = {
  'in-house-clinical': {
    followUpPathway: 'clinician-outreach',
    assignsSectors: false,
    supervisorReviewsAll: false,
    conferenceSeries: 'hub',
    description:
      'Civilian-led clinicians, recovery coaches and social workers review every call for indicators and do the outreach.',
  },
  'social-justice': {
    followUpPathway: 'clinician-outreach',
    assignsSectors: true,
    supervisorReviewsAll: true,
    conferenceSeries: 'hub',
    description:
      'A supervisor reviews all calls and assigns one of five sectors (homelessness, seniors, juveniles, overdose, mental health), each with dedicated staff.',
  },
  'co-response': {
    followUpPathway: 'co-responder-follow-up',
    assignsSectors: false,
    supervisorReviewsAll: false,
    conferenceSeries: 'hub',
    description:
      'A counselor from a partner Emergency Service Provider rides with an officer on a shift and does the follow-up outreach.',
  },
  clear: {
    followUpPathway: 'clinician-outreach',
    assignsSectors: false,
    supervisorReviewsAll: true,
    conferenceSeries: 'clear',
    description:
      'A police coordinator reviews calls; a sergeant, social worker, recovery coaches and a public health nurse decide next steps with the resident at the weekly team meeting.',
  },
  ccit: {
    followUpPathway: 'clinician-outreach',
    assignsSectors: false,
    supervisorReviewsAll: false,
    conferenceSeries: 'ccit',
    description: 'Hard cases go to case conferences open to community providers and family members.',
  },
};

export function modelEffects(model: ProgramModel): ModelEffects {
  return EFFECTS[model];
}

/**
 * Whether a decision waits for a supervisor. Imminent risk never waits (mobile crisis is asked
 * for at once); a consultation requirement always does (the consultation is recorded there).
 */
export function reviewReasonFor(
  settings: ProgramSettings,
  decision: { riskLevel: RiskLevel; consultationRequired: boolean },
): 'policy' | 'consultation-required' | null {
  if (decision.riskLevel === 'imminent') return null;
  if (decision.consultationRequired) return 'consultation-required';
  if (modelEffects(settings.model).supervisorReviewsAll) return 'policy';
  const p = settings.reviewPolicy;
  if (p.mode === 'all') return 'policy';
  if (p.mode === 'risk-levels' && p.riskLevels.includes(decision.riskLevel)) return 'policy';
  return null;
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** True when `at` falls within the department's business hours (in its time zone). */
export function isWithinBusinessHours(
  settings: Pick<ProgramSettings, 'businessHours' | 'timeZone'>,
  at: Date,
): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: settings.timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = WEEKDAYS[['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'))];
  const time = `${get('hour')}:${get('minute')}`;
  return settings.businessHours.some((h) => h.day === day && h.opens <= time && time < h.closes);
}
