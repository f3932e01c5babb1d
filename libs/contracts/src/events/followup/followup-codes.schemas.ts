import { z } from 'zod';

/** What a reminder is about (issue 11): contact due, referral SLA check, conference, action item, MOU expiry. */
export const reminderKindSchema = z.enum([
  'case-contact',
  'referral-sla',
  'action-item',
  'conference-reminder',
  'mou-expiring',
]);
export type ReminderKind = z.infer<typeof reminderKindSchema>;

/** Who a reminder is for: a staff user (token subject), a unit (district / team) or a partner agency. */
export const reminderTargetTypeSchema = z.enum(['user', 'unit', 'agency']);
export type ReminderTargetType = z.infer<typeof reminderTargetTypeSchema>;

/** Reminder lifecycle: scheduled → fired | cancelled | superseded (a later occurrence replaced it). */
export const reminderStateSchema = z.enum(['scheduled', 'fired', 'cancelled', 'superseded']);
export type ReminderState = z.infer<typeof reminderStateSchema>;
