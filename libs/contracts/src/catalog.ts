import type { z } from 'zod';
import type { EventDefinition } from './event-definition';
import { breakGlassAccess } from './events/audit/break-glass-access.event';
import { caseClosed } from './events/case/case-closed.event';
import { caseOpened } from './events/case/case-opened.event';
import { caseUpdated } from './events/case/case-updated.event';
import { conferenceActionItemClosed } from './events/conference/conference-action-item-closed.event';
import { conferenceCaseScheduled } from './events/conference/conference-case-scheduled.event';
import { conferenceOutcomeRecorded } from './events/conference/conference-outcome-recorded.event';
import { conferenceSessionScheduled } from './events/conference/conference-session-scheduled.event';
import { followupEscalated } from './events/followup/followup-escalated.event';
import { followupReminderDue } from './events/followup/followup-reminder-due.event';
import { incidentReclassified } from './events/incident/incident-reclassified.event';
import { incidentReported } from './events/incident/incident-reported.event';
import { incidentUpdated } from './events/incident/incident-updated.event';
import { personMerged } from './events/person/person-merged.event';
import { personUnmerged } from './events/person/person-unmerged.event';
import { mouChanged } from './events/referral/mou-changed.event';
import { referralRequested } from './events/referral/referral-requested.event';
import { referralStatusChanged } from './events/referral/referral-status-changed.event';
import { conferenceNominationRequested } from './events/triage/conference-nomination-requested.event';
import { triageCompleted } from './events/triage/triage-completed.event';

/** Every event type the platform publishes; adding one here is what makes it publishable. */
export const eventCatalog = [
  incidentReported,
  incidentUpdated,
  incidentReclassified,
  triageCompleted,
  conferenceNominationRequested,
  caseOpened,
  caseUpdated,
  caseClosed,
  referralRequested,
  referralStatusChanged,
  mouChanged,
  conferenceSessionScheduled,
  conferenceCaseScheduled,
  conferenceOutcomeRecorded,
  conferenceActionItemClosed,
  followupReminderDue,
  followupEscalated,
  breakGlassAccess,
  personMerged,
  personUnmerged,
] as const;

type Catalog = (typeof eventCatalog)[number];

/** Union of every event type name. */
export type EventType = Catalog['type'];

/** The data type of an event type, derived from its schema. */
export type EventData<T extends EventType> = z.infer<Extract<Catalog, { type: T }>['data']>;

const byType = new Map<string, EventDefinition>(eventCatalog.map((d) => [d.type, d as EventDefinition]));

/** The definition of a type, or undefined when the platform does not know it. */
export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** The definition of a known type; throws for an unknown one (a programming error). */
export function getEventDefinition(type: EventType): EventDefinition {
  const def = byType.get(type);
  if (!def) throw new Error(`unknown event type ${type}`);
  return def;
}

/** The aggregate stream topic an event type is published on. */
export function topicForEventType(type: string): string {
  const def = byType.get(type);
  if (!def) throw new Error(`unknown event type ${type}`);
  return def.topic;
}
