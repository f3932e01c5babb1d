import { z } from 'zod';
import { reminderTargetTypeSchema, urgencySchema } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { businessHoursProblems } from '../reminders/domain/business-hours';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'HH:MM');
const interval = z.string().regex(/^P(\d+D)?(T(\d+H)?(\d+M)?)?$/, 'ISO 8601 duration (days, hours, minutes)');
const targetId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);

/** PUT /v1/settings/followup: the department's follow-up settings (admin). */
export const followupSettingsRequestSchema = z
  .strictObject({
    timeZone: z.string().min(1).max(64),
    honorBusinessHours: z.boolean(),
    businessHours: z.array(z.strictObject({ day: z.number().int().min(1).max(7), open: hhmm, close: hhmm })).max(28),
    sla: z.record(urgencySchema, z.strictObject({ receiveWithin: interval, acceptWithin: interval })),
    adminTarget: z.strictObject({ type: reminderTargetTypeSchema, id: targetId }),
    supervisorTarget: z.strictObject({ type: reminderTargetTypeSchema, id: targetId }),
    smtp: z
      .strictObject({
        host: z.string().min(1).max(255),
        port: z.number().int().min(1).max(65535),
        from: z.email(),
        secure: z.boolean().default(false),
      })
      .nullable()
      .default(null),
  })
  .superRefine((value, ctx) => {
    for (const problem of businessHoursProblems({ timeZone: value.timeZone, weekly: value.businessHours })) {
      const [field, message] = problem.split(': ');
      const path = field!.startsWith('weekly') ? ['businessHours', ...field!.split('.').slice(1)] : [field!];
      ctx.addIssue({ code: 'custom', path: path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: message! });
    }
  });
export type FollowupSettingsRequest = z.infer<typeof followupSettingsRequestSchema>;
export type FollowupSettings = FollowupSettingsRequest;

/** Until an admin sets them: Metro Boston time, Mon–Fri 08:00–17:00 not enforced, SLAs per urgency. */
export const DEFAULT_FOLLOWUP_SETTINGS: FollowupSettings = {
  timeZone: 'America/New_York',
  honorBusinessHours: false,
  businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '08:00', close: '17:00' })),
  sla: {
    emergent: { receiveWithin: 'PT15M', acceptWithin: 'PT1H' },
    urgent: { receiveWithin: 'PT1H', acceptWithin: 'PT4H' },
    routine: { receiveWithin: 'PT24H', acceptWithin: 'PT72H' },
  },
  adminTarget: { type: 'unit', id: 'program-admin' },
  supervisorTarget: { type: 'unit', id: 'supervisors' },
  smtp: null,
};

interface SettingsRow {
  time_zone: string;
  honor_business_hours: boolean;
  business_hours: FollowupSettings['businessHours'];
  sla: FollowupSettings['sla'];
  admin_target_type: FollowupSettings['adminTarget']['type'];
  admin_target_id: string;
  supervisor_target_type: FollowupSettings['supervisorTarget']['type'];
  supervisor_target_id: string;
  smtp: FollowupSettings['smtp'];
}

/** The department's settings (defaults when none were saved); runs in the caller's tenant transaction. */
export async function loadSettings(em: EntityManager, departmentId: string): Promise<FollowupSettings> {
  const rows: SettingsRow[] = await em.query(`SELECT * FROM department_settings WHERE department_id = $1`, [
    departmentId,
  ]);
  const r = rows[0];
  if (!r) return DEFAULT_FOLLOWUP_SETTINGS;
  return {
    timeZone: r.time_zone,
    honorBusinessHours: r.honor_business_hours,
    businessHours: r.business_hours,
    sla: r.sla,
    adminTarget: { type: r.admin_target_type, id: r.admin_target_id },
    supervisorTarget: { type: r.supervisor_target_type, id: r.supervisor_target_id },
    smtp: r.smtp,
  };
}

export async function saveSettings(
  em: EntityManager,
  departmentId: string,
  s: FollowupSettings,
  updatedBy: string,
): Promise<void> {
  await em.query(
    `INSERT INTO department_settings (department_id, time_zone, honor_business_hours, business_hours, sla,
       admin_target_type, admin_target_id, supervisor_target_type, supervisor_target_id, smtp, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (department_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
       honor_business_hours = EXCLUDED.honor_business_hours, business_hours = EXCLUDED.business_hours,
       sla = EXCLUDED.sla, admin_target_type = EXCLUDED.admin_target_type, admin_target_id = EXCLUDED.admin_target_id,
       supervisor_target_type = EXCLUDED.supervisor_target_type, supervisor_target_id = EXCLUDED.supervisor_target_id,
       smtp = EXCLUDED.smtp, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [
      departmentId,
      s.timeZone,
      s.honorBusinessHours,
      JSON.stringify(s.businessHours),
      JSON.stringify(s.sla),
      s.adminTarget.type,
      s.adminTarget.id,
      s.supervisorTarget.type,
      s.supervisorTarget.id,
      s.smtp ? JSON.stringify(s.smtp) : null,
      updatedBy,
    ],
  );
}
