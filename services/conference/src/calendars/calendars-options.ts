import { ConfigError } from '@cit/service-kit';
import { z } from 'zod';

/** Tuning of the calendar feeds, read once at boot from the environment. */
export interface CalendarsOptions {
  /** How far back a feed reaches (sessions that started longer ago are left out). */
  pastDays: number;
  /** Right-hand side of every event UID: keep it fixed for a deployment, or clients see new events. */
  uidDomain: string;
  /** Origin the secret feed URLs are given under (behind a proxy); absent = the request's own origin. */
  publicBaseUrl?: string;
}

/** Injection token of CalendarsOptions. */
export const CALENDARS_OPTIONS = Symbol('CALENDARS_OPTIONS');

const calendarsEnvSchema = z.object({
  CONFERENCE_CALENDAR_PAST_DAYS: z.coerce.number().int().min(0).max(3660).default(90),
  CONFERENCE_CALENDAR_UID_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'must be a lowercase host name')
    .default('cit-platform'),
  CONFERENCE_CALENDAR_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .refine((u) => !/[?#]/.test(u), 'must not carry a query or fragment')
    .optional(),
});

/** Validates the calendars area's variables; a bad one stops the service with its name. */
export function loadCalendarsOptions(env: NodeJS.ProcessEnv = process.env): CalendarsOptions {
  const parsed = calendarsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const publicUrl = parsed.data.CONFERENCE_CALENDAR_PUBLIC_URL;
  return {
    pastDays: parsed.data.CONFERENCE_CALENDAR_PAST_DAYS,
    uidDomain: parsed.data.CONFERENCE_CALENDAR_UID_DOMAIN,
    ...(publicUrl ? { publicBaseUrl: publicUrl.replace(/\/+$/, '') } : {}),
  };
}
