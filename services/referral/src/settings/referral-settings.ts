import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { DEFAULT_SLA, type SlaPolicy } from '../sla/sla';

const slaRuleSchema = z.strictObject({
  receiveWithinMinutes: z.number().int().positive().max(100_000).optional(),
  acceptWithinMinutes: z.number().int().positive().max(100_000).optional(),
  acceptWithinBusinessDays: z.number().int().positive().max(30).optional(),
});

/** PUT /v1/referral-settings: the department's routing and SLA settings. */
export const referralSettingsRequestSchema = z.strictObject({
  timezone: z
    .string()
    .min(1)
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone'),
  routingMode: z.enum(['single', 'multiple']).describe('one agency per referral, or up to maxAgencies at once'),
  maxAgencies: z.number().int().min(1).max(10),
  sla: z.strictObject({ emergent: slaRuleSchema, urgent: slaRuleSchema, routine: slaRuleSchema }).optional(),
});
export type ReferralSettingsRequest = z.infer<typeof referralSettingsRequestSchema>;

export interface ReferralSettings {
  timezone: string;
  routingMode: 'single' | 'multiple';
  maxAgencies: number;
  sla: SlaPolicy;
}

export const DEFAULT_SETTINGS: ReferralSettings = {
  timezone: 'America/New_York',
  routingMode: 'single',
  maxAgencies: 1,
  sla: DEFAULT_SLA,
};

// Settings change rarely and routing reads them per referral: kept for a few seconds per
// department (a change made through this process is seen at once, by other replicas within the TTL).
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; settings: ReferralSettings }>();

/** The department's settings (defaults when it has none), cached briefly; runs in the caller's tenant transaction. */
export async function loadReferralSettings(em: EntityManager, departmentId: string): Promise<ReferralSettings> {
  const hit = cache.get(departmentId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.settings;
  const settings = await readReferralSettings(em, departmentId);
  cache.set(departmentId, { at: Date.now(), settings });
  return settings;
}

async function readReferralSettings(em: EntityManager, departmentId: string): Promise<ReferralSettings> {
  const rows = (await em.query(
    'SELECT timezone, routing_mode, max_agencies, sla FROM referral_setting WHERE department_id = $1',
    [departmentId],
  )) as { timezone: string; routing_mode: 'single' | 'multiple'; max_agencies: number; sla: SlaPolicy | null }[];
  const r = rows[0];
  if (!r) return DEFAULT_SETTINGS;
  return { timezone: r.timezone, routingMode: r.routing_mode, maxAgencies: r.max_agencies, sla: r.sla ?? DEFAULT_SLA };
}

export async function saveReferralSettings(em: EntityManager, departmentId: string, s: ReferralSettingsRequest) {
  cache.delete(departmentId);
  await em.query(
    `INSERT INTO referral_setting (department_id, timezone, routing_mode, max_agencies, sla, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (department_id) DO UPDATE SET timezone = EXCLUDED.timezone, routing_mode = EXCLUDED.routing_mode,
       max_agencies = EXCLUDED.max_agencies, sla = EXCLUDED.sla, updated_at = now()`,
    [departmentId, s.timezone, s.routingMode, s.maxAgencies, s.sla ? JSON.stringify(s.sla) : null],
  );
}
