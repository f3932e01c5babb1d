import { eventCatalog, findEventDefinition } from './catalog';
import { eventSource } from './envelope';
import { topicManifest } from './topics';

/**
 * Event types partner agencies receive on their own topic (cit.partner.<agencyId>.referrals.v1):
 * their referrals, and the status changes of those referrals.
 */
export const PARTNER_REFERRAL_EVENT_TYPES: readonly string[] = [
  'cit.referral.requested.v1',
  'cit.referral.status-changed.v1',
];

const [partnerPrefix, partnerSuffix] = topicManifest.partnerReferralTopic.pattern.split('{agencyId}') as [
  string,
  string,
];
const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** True for a per-agency referral delivery topic (the manifest's partner pattern with a valid agency id). */
export function isPartnerReferralTopic(topic: string): boolean {
  if (!topic.startsWith(partnerPrefix) || !topic.endsWith(partnerSuffix)) return false;
  return AGENCY_ID.test(topic.slice(partnerPrefix.length, topic.length - partnerSuffix.length));
}

/** The platform's services: the owners of the manifest's topics. */
export const platformServices: readonly string[] = [...new Set(topicManifest.topics.map((t) => t.owner))].sort();

const typesByTopic = new Map<string, string[]>();
for (const def of eventCatalog) typesByTopic.set(def.topic, [...(typesByTopic.get(def.topic) ?? []), def.type]);

/** The event types the contracts define for a topic (a stream topic or a partner topic); empty for any other. */
export function eventTypesOnTopic(topic: string): readonly string[] {
  if (isPartnerReferralTopic(topic)) return PARTNER_REFERRAL_EVENT_TYPES;
  return typesByTopic.get(topic) ?? [];
}

/**
 * The CloudEvents sources that may emit a type: its producer's (eventSource(producer)), or
 * every platform service's for a type each service emits under its own name (break-glass
 * notices). Empty for a type the catalog does not define.
 */
export function allowedEventSources(type: string): readonly string[] {
  const def = findEventDefinition(type);
  if (!def) return [];
  return def.emittedByEveryService ? platformServices.map(eventSource) : [eventSource(def.producer)];
}

/** Why an event does not belong where it arrived. */
export type EventOriginRejection = 'type-not-on-topic' | 'source-not-producer';

/** Whether an event of `type` from `source` may appear on `topic`; the reason never quotes the source. */
export type EventOriginCheck = { ok: true } | { ok: false; reason: EventOriginRejection; error: string };

/**
 * Checks an event's type and source against the topic it arrived on: the type must be one
 * the contracts define for that topic, and the source must be the type's producer. Partner
 * topics take only referral's delivery events, so only referral may produce onto them.
 */
export function checkEventOrigin(topic: string, type: string, source: string): EventOriginCheck {
  if (!eventTypesOnTopic(topic).includes(type))
    return { ok: false, reason: 'type-not-on-topic', error: `type ${type} is not an event of topic ${topic}` };
  const sources = isPartnerReferralTopic(topic)
    ? [eventSource(topicManifest.partnerReferralTopic.owner)]
    : allowedEventSources(type);
  if (!sources.includes(source))
    return {
      ok: false,
      reason: 'source-not-producer',
      error: `source is not the producer of ${type} (expected ${sources.join(' or ')})`,
    };
  return { ok: true };
}
