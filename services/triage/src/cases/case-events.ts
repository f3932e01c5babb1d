import { createHash } from 'node:crypto';
import {
  buildEvent,
  idSchema,
  type CaseClosedStatus,
  type CaseStatus,
  type CloudEvent,
  type ContactPreferenceFlags,
  type EventData,
} from '@cit/contracts';
import { currentContext } from '@cit/observability';
import type { CaseRecord } from './case.record';

/** Correlation of the events a unit of work emits: the request's or the consumed event's. */
export interface CaseEventMeta {
  departmentId: string;
  correlationId?: string;
  causationId?: string;
}

/**
 * An actor as events may carry it: the token subject when it is a plain identifier, otherwise
 * a stable digest of it (subjects are opaque and may hold characters ids must not).
 */
export function actorId(subject: string): string {
  return idSchema.safeParse(subject).success
    ? subject
    : `sub:${createHash('sha256').update(subject).digest('hex').slice(0, 32)}`;
}

function context(meta: CaseEventMeta, fallback: string) {
  const ctx = currentContext();
  return {
    departmentId: meta.departmentId,
    correlationId: meta.correlationId ?? ctx?.correlationId ?? fallback,
    causationId: meta.causationId ?? ctx?.requestId,
  };
}

/** cit.case.opened.v1 for a case just stored. */
export function caseOpenedEvent(
  c: CaseRecord,
  extra: { incidentIds: string[]; triageId?: string; timeZone?: string; contactPreference: ContactPreferenceFlags },
  meta: CaseEventMeta,
): CloudEvent<EventData<'cit.case.opened.v1'>> {
  return buildEvent(
    'cit.case.opened.v1',
    c.id,
    {
      caseId: c.id,
      personId: c.personId,
      incidentIds: extra.incidentIds,
      ...(extra.triageId ? { triageId: extra.triageId } : {}),
      source: c.source,
      riskLevel: c.riskLevel,
      ...(c.assignedTo ? { assignedTo: c.assignedTo } : {}),
      cadence: c.cadence,
      ...(extra.timeZone ? { timeZone: extra.timeZone } : {}),
      contactPreference: extra.contactPreference,
      openedAt: c.openedAt.toISOString(),
      openedBy: c.openedBy,
    },
    context(meta, c.id),
  );
}

/** cit.case.updated.v1 for a case after a change (c is the case as it is now). */
export function caseUpdatedEvent(
  c: CaseRecord,
  change: {
    previousStatus: CaseStatus;
    changedFields: string[];
    updatedBy: string;
    contactPreference: ContactPreferenceFlags;
    contactLogged?: EventData<'cit.case.updated.v1'>['contactLogged'];
    incidentJoined?: string;
    previousPersonId?: string;
  },
  meta: CaseEventMeta,
): CloudEvent<EventData<'cit.case.updated.v1'>> {
  return buildEvent(
    'cit.case.updated.v1',
    c.id,
    {
      caseId: c.id,
      personId: c.personId,
      status: c.status,
      previousStatus: change.previousStatus,
      riskLevel: c.riskLevel,
      ...(c.assignedTo ? { assignedTo: c.assignedTo } : {}),
      ...(c.lastContactAt ? { lastContactAt: c.lastContactAt.toISOString() } : {}),
      ...(change.contactLogged ? { contactLogged: change.contactLogged } : {}),
      ...(change.incidentJoined ? { incidentJoined: change.incidentJoined } : {}),
      ...(change.previousPersonId ? { previousPersonId: change.previousPersonId } : {}),
      contactPreference: change.contactPreference,
      changedFields: change.changedFields,
      updatedAt: c.updatedAt.toISOString(),
      updatedBy: change.updatedBy,
    },
    context(meta, c.id),
  );
}

/** cit.case.closed.v1 for a case that reached a closing status. */
export function caseClosedEvent(
  c: CaseRecord & { status: CaseClosedStatus; closedAt: Date; closedBy: string },
  previousStatus: 'open' | 'in-contact',
  meta: CaseEventMeta,
): CloudEvent<EventData<'cit.case.closed.v1'>> {
  return buildEvent(
    'cit.case.closed.v1',
    c.id,
    {
      caseId: c.id,
      personId: c.personId,
      outcome: c.status,
      previousStatus,
      closedAt: c.closedAt.toISOString(),
      closedBy: c.closedBy,
      ...(c.transferredToAgencyId ? { transferredToAgencyId: c.transferredToAgencyId } : {}),
    },
    context(meta, c.id),
  );
}
