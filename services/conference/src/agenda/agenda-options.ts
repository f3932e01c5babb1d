import { ConfigError } from '@cit/service-kit';
import { z } from 'zod';

/** Tuning of the agenda area, read once at boot from the environment. */
export interface AgendaOptions {
  /** How often the carry-over sweep runs (0 = never; tests drive it). */
  sweepIntervalMs: number;
  /** How long after a session ends its cases without an outcome are carried over (time to record outcomes). */
  carryOverGraceMs: number;
  /** Departments one sweep visits, and agenda items it touches per department. */
  sweepDepartments: number;
  sweepItems: number;
}

/** Injection token of AgendaOptions. */
export const AGENDA_OPTIONS = Symbol('AGENDA_OPTIONS');

const HOUR = 60 * 60 * 1000;

const agendaEnvSchema = z.object({
  CONFERENCE_AGENDA_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * HOUR)
    .default(5 * 60 * 1000),
  CONFERENCE_AGENDA_CARRY_OVER_GRACE_HOURS: z.coerce.number().min(0).max(168).default(12),
  CONFERENCE_AGENDA_SWEEP_DEPARTMENTS: z.coerce.number().int().min(1).max(10_000).default(50),
  CONFERENCE_AGENDA_SWEEP_ITEMS: z.coerce.number().int().min(1).max(100_000).default(2_000),
});

/** Validates the agenda area's variables; a bad one stops the service with its name (never its value). */
export function loadAgendaOptions(env: NodeJS.ProcessEnv = process.env): AgendaOptions {
  const parsed = agendaEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const d = parsed.data;
  return {
    sweepIntervalMs: d.CONFERENCE_AGENDA_SWEEP_INTERVAL_MS,
    carryOverGraceMs: d.CONFERENCE_AGENDA_CARRY_OVER_GRACE_HOURS * HOUR,
    sweepDepartments: d.CONFERENCE_AGENDA_SWEEP_DEPARTMENTS,
    sweepItems: d.CONFERENCE_AGENDA_SWEEP_ITEMS,
  };
}
