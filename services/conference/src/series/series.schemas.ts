import { idSchema } from '@cit/contracts';
import { z } from 'zod';
import { parseSeriesRule, parseWallClock } from './domain/recurrence';
import { capacityProblem, MAX_CASE_CAPACITY, MEMBER_ROLES, memberProblems, SERIES_KINDS } from './domain/series-rules';

/** A local wall-clock date-time in the series' zone, `YYYY-MM-DDTHH:mm[:ss]`, without offset. */
export const wallClockSchema = z
  .string()
  .max(19)
  .refine((v) => parseWallClock(v) !== undefined, {
    message: 'must be a local date-time YYYY-MM-DDTHH:mm (no offset; the series time zone applies)',
  });

/** An RFC 5545 RRULE; the parser's reason is the field error. */
export const rruleSchema = z
  .string()
  .max(500)
  .superRefine((v, ctx) => {
    const check = parseSeriesRule(v);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: `invalid RRULE: ${check.reason}` });
  });

export const seriesMemberSchema = z.strictObject({
  agencyId: idSchema.describe('a member agency known from referral (GET /v1/agencies)'),
  role: z.enum(MEMBER_ROLES),
});

export const seriesMembersSchema = z
  .array(seriesMemberSchema)
  .min(1)
  .max(100)
  .superRefine((members, ctx) => {
    for (const p of memberProblems(members)) {
      // Paths are relative to the list: "members.1.agencyId" → [1, 'agencyId'].
      const path = p.field
        .split('.')
        .slice(1)
        .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
      ctx.addIssue({ code: 'custom', message: p.detail, path });
    }
  });

export const titleSchema = z.string().trim().min(1).max(200);
export const locationSchema = z.string().trim().min(1).max(300);
export const meetingUrlSchema = z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).max(500);
export const durationSchema = z.number().int().min(5).max(1440).describe('minutes');
export const capacitySchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_CASE_CAPACITY)
  .describe('cases per session; 0 ("takes no cases") only for stakeholder and cross-training series');
export const cutoffHoursSchema = z
  .number()
  .int()
  .min(0)
  .max(24 * 28)
  .describe('nominations close this many hours before a session starts (48 = two days)');
export const seriesKindSchema = z.enum(SERIES_KINDS);

/** Cross-field rules a series must meet (create, and edit once merged with the stored series). */
export function seriesShapeIssues(s: {
  kind: (typeof SERIES_KINDS)[number];
  caseCapacity: number;
  location?: string | null;
  meetingUrl?: string | null;
}): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const capacity = capacityProblem(s.kind, s.caseCapacity);
  if (capacity) issues.push({ path: 'caseCapacity', message: capacity });
  if (!s.location && !s.meetingUrl)
    issues.push({ path: 'location', message: 'give a location or a meetingUrl (or both)' });
  return issues;
}
