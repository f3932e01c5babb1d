import type { ReminderRow } from '../reminders/reminder-store';

/** What every channel carries: ids, codes, times and a link — never PHI (no names, narratives or contact details). */
export interface NotificationBody {
  type: 'reminder-due';
  reminderId: string;
  kind: ReminderRow['kind'];
  occurrence: number;
  dueAt: string;
  firedAt: string;
  late: boolean;
  target: { type: ReminderRow['target_type']; id: string };
  caseId?: string;
  referralId?: string;
  sessionId?: string;
  actionItemId?: string;
  mouId?: string;
  agencyId?: string;
  /** Where the recipient reads the details after signing in. */
  link: string;
}

export function notificationBody(r: ReminderRow, firedAt: Date, late: boolean): NotificationBody {
  return {
    type: 'reminder-due',
    reminderId: r.id,
    kind: r.kind,
    occurrence: r.occurrence,
    dueAt: new Date(r.due_at).toISOString(),
    firedAt: firedAt.toISOString(),
    late,
    target: { type: r.target_type, id: r.target_id },
    ...(r.case_id ? { caseId: r.case_id } : {}),
    ...(r.referral_id ? { referralId: r.referral_id } : {}),
    ...(r.session_id ? { sessionId: r.session_id } : {}),
    ...(r.action_item_id ? { actionItemId: r.action_item_id } : {}),
    ...(r.mou_id ? { mouId: r.mou_id } : {}),
    ...(r.agency_id ? { agencyId: r.agency_id } : {}),
    link: `/v1/reminders/${r.id}`,
  };
}
