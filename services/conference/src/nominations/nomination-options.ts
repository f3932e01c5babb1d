import { ConfigError } from '@cit/service-kit';
import { z } from 'zod';

/** Tuning of the nominations area, read once at boot from the environment. */
export interface NominationOptions {
  /** The public family form's fixed window, in seconds. */
  familyFormWindowSeconds: number;
  /** Submissions one client address may make to one department per window. */
  familyFormPerClientLimit: number;
  /** Submissions one department's form takes per window, from everyone together. */
  familyFormPerDepartmentLimit: number;
  /** Days after their last incident that persons never nominated leave the identity projection (0 = kept). */
  personRetentionDays: number;
  /** How often the retention sweep runs (0 = never; tests drive it). */
  personRetentionIntervalMs: number;
}

/** Injection token of NominationOptions. */
export const NOMINATION_OPTIONS = Symbol('NOMINATION_OPTIONS');

const HOUR_MS = 60 * 60 * 1000;

const nominationEnvSchema = z.object({
  CONFERENCE_FAMILY_FORM_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  CONFERENCE_FAMILY_FORM_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).default(5),
  CONFERENCE_FAMILY_FORM_PER_DEPARTMENT: z.coerce.number().int().min(1).max(1_000_000).default(100),
  CONFERENCE_PERSON_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(365),
  CONFERENCE_PERSON_RETENTION_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * HOUR_MS)
    .default(6 * HOUR_MS),
});

/** Validates the nominations area's variables; a bad one stops the service with its name (never its value). */
export function loadNominationOptions(env: NodeJS.ProcessEnv = process.env): NominationOptions {
  const parsed = nominationEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    familyFormWindowSeconds: e.CONFERENCE_FAMILY_FORM_WINDOW_SECONDS,
    familyFormPerClientLimit: e.CONFERENCE_FAMILY_FORM_PER_CLIENT,
    familyFormPerDepartmentLimit: e.CONFERENCE_FAMILY_FORM_PER_DEPARTMENT,
    personRetentionDays: e.CONFERENCE_PERSON_RETENTION_DAYS,
    personRetentionIntervalMs: e.CONFERENCE_PERSON_RETENTION_INTERVAL_MS,
  };
}
