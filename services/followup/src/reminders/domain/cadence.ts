import { addInterval, nextBusinessInstant, type BusinessHours } from './business-hours';

/**
 * Contact cadence of a case (from cit.case.opened.v1): each entry is the wait before the next
 * contact reminder, counted from the previous anchor (case opening, the previous reminder's
 * due time, or the last logged contact); the last entry repeats until the case closes.
 * ['PT24H', 'PT72H', 'P7D'] = 24 h after opening, 72 h after that, then weekly.
 */
export function cadenceInterval(cadence: readonly string[], step: number): string {
  if (cadence.length === 0) throw new Error('cadence: empty');
  return cadence[Math.min(Math.max(step, 0), cadence.length - 1)]!;
}

export interface ContactDueInput {
  cadence: readonly string[];
  /** 0-based position in the cadence of the reminder being scheduled. */
  step: number;
  anchor: Date;
  timeZone: string;
  /** Business hours to respect, or undefined when the department does not ask for it. */
  businessHours?: BusinessHours;
}

/** When the contact reminder at `step` is due: anchor + interval, moved to the next opening when asked. */
export function contactDueAt(input: ContactDueInput): { dueAt: Date; nominalAt: Date } {
  const nominalAt = addInterval(input.anchor, cadenceInterval(input.cadence, input.step), input.timeZone);
  const dueAt = input.businessHours ? nextBusinessInstant(nominalAt, input.businessHours) : nominalAt;
  return { dueAt, nominalAt };
}
