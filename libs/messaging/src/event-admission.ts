import { checkEventOrigin, type CloudEvent, type EventOriginCheck, type EventOriginRejection } from '@cit/contracts';
import type { DepartmentRegistry } from './department-registry';

/** Why an event was refused on arrival (a metric label and the dlq-reason header). */
export type AdmissionRejection = EventOriginRejection | 'unknown-department';

/** Every reason an event is refused on arrival. */
export const ADMISSION_REJECTIONS: readonly AdmissionRejection[] = [
  'type-not-on-topic',
  'source-not-producer',
  'unknown-department',
];

/** Whether an event may be applied; a refusal carries a reason without payload contents. */
export type EventAdmissionResult = { ok: true } | { ok: false; reason: AdmissionRejection; error: string };

/** Checks the type and source of an event against the topic it arrived on (default: the contracts' checkEventOrigin). */
export type EventOriginPolicy = (topic: string, type: string, source: string) => EventOriginCheck;

/**
 * Decides whether a valid event may be applied from the topic it arrived on: its type and
 * source must be what the contracts define for that topic, and its department one the
 * platform serves. The department id is an identifier (the envelope schema says so), so the
 * reason may name it.
 */
export function admitEvent(
  event: CloudEvent,
  topic: string,
  departments: DepartmentRegistry,
  origin: EventOriginPolicy = checkEventOrigin,
): EventAdmissionResult {
  const checked = origin(topic, event.type, event.source);
  if (!checked.ok) return checked;
  if (!departments.has(event.departmentid))
    return { ok: false, reason: 'unknown-department', error: `department ${event.departmentid} is not served here` };
  return { ok: true };
}
