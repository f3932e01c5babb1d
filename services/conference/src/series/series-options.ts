import { ConfigError } from '@cit/service-kit';
import { z } from 'zod';

/** Tuning of the series area, read once at boot from the environment. */
export interface SeriesOptions {
  /** How often the horizon job extends every active series (0 = never; tests drive it). */
  horizonIntervalMs: number;
}

/** Injection token of SeriesOptions. */
export const SERIES_OPTIONS = Symbol('SERIES_OPTIONS');

const seriesEnvSchema = z.object({
  CONFERENCE_HORIZON_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60 * 60 * 1000)
    .default(15 * 60 * 1000),
});

/** Validates the series area's variables; a bad one stops the service with its name (never its value). */
export function loadSeriesOptions(env: NodeJS.ProcessEnv = process.env): SeriesOptions {
  const parsed = seriesEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return { horizonIntervalMs: parsed.data.CONFERENCE_HORIZON_INTERVAL_MS };
}
