/**
 * What each incident produced downstream, read by id from every service's database and from the
 * topics: its incident row, triage decision, referrals, webhook deliveries, reminders, each
 * service's outbox events and inbox rows. Every incident of the stream is the same kind of call
 * for a new person, so each must produce the same counts: one lower is an event lost, one higher
 * an event applied twice.
 */
import { decodeCloudEvent } from '@cit/contracts';
import { createKafka } from '@cit/messaging';
import type { Consumer } from 'kafkajs';
import type { ChaosPlatform, ServiceName } from './chaos-platform';

/** Counts by kind of record, e.g. { 'triage.decision': 1, 'referral.outbox cit.referral.requested.v1': 2 }. */
export type Signature = Record<string, number>;

interface OutboxRow {
  id: string;
  topic: string;
  event_type: string;
  payload: string;
  published: boolean;
}

const OUTBOX_SERVICES: ServiceName[] = ['intake', 'triage', 'referral', 'followup', 'conference'];

/** Quoted string values of a JSON text: the ids a payload names, wherever they sit in it. */
function quotedValues(text: string): string[] {
  return [...text.matchAll(/"([^"\\]{6,100})"/g)].map((m) => m[1]);
}

/** What the incidents led to: the counts of each, and the outbox events published for them. */
export interface Ledger {
  byIncident: Map<string, Signature>;
  published: { id: string; topic: string }[];
}

/** Reads, for each incident id, the counts of everything it led to in every database (and partner topic). */
export async function readLedger(
  platform: ChaosPlatform,
  incidentIds: string[],
  observer?: TopicObserver,
): Promise<Ledger> {
  const published: Ledger['published'] = [];
  const owner = new Map<string, string>(); // any related id → its incident
  const ledger = new Map<string, Signature>();
  for (const id of incidentIds) {
    owner.set(id, id);
    ledger.set(id, {});
  }
  const bump = (incident: string | undefined, key: string) => {
    const sig = incident ? ledger.get(incident) : undefined;
    if (sig) sig[key] = (sig[key] ?? 0) + 1;
  };

  for (const r of await platform.sql<{ id: string }>('intake', 'SELECT id FROM incident WHERE id = ANY($1)', [
    incidentIds,
  ]))
    bump(r.id, 'intake.incident');
  for (const r of await platform.sql<{ id: string; incident_id: string }>(
    'triage',
    'SELECT id, incident_id FROM triage_decision WHERE incident_id = ANY($1)',
    [incidentIds],
  )) {
    owner.set(r.id, r.incident_id);
    bump(r.incident_id, 'triage.decision');
  }
  for (const r of await platform.sql<{ case_id: string; incident_id: string }>(
    'triage',
    'SELECT case_id, incident_id FROM case_incident WHERE incident_id = ANY($1)',
    [incidentIds],
  )) {
    owner.set(r.case_id, r.incident_id);
    bump(r.incident_id, 'triage.case-incident');
  }
  const decisions = [...owner].filter(([k, v]) => k !== v).map(([k]) => k);
  for (const r of await platform.sql<{ id: string; request_id: string; triage_id: string }>(
    'referral',
    'SELECT id, request_id, triage_id FROM referral WHERE triage_id = ANY($1)',
    [decisions],
  )) {
    const incident = owner.get(r.triage_id);
    if (!incident) continue;
    owner.set(r.id, incident);
    owner.set(r.request_id, incident);
    bump(incident, 'referral.referral');
  }
  // By status: a delivery still pending or failed when the counts settle is a partner not told.
  for (const r of await platform.sql<{ referral_id: string; status: string }>(
    'referral',
    'SELECT referral_id, status FROM webhook_delivery',
  ))
    bump(owner.get(r.referral_id), `referral.webhook-delivery ${r.status}`);
  for (const r of await platform.sql<{ kind: string; referral_id: string | null; case_id: string | null }>(
    'followup',
    'SELECT kind, referral_id, case_id FROM reminder',
  ))
    bump(owner.get(r.referral_id ?? '') ?? owner.get(r.case_id ?? ''), `followup.reminder ${r.kind}`);

  // Outbox events and the inbox rows of their consumers, found by the ids their payloads name.
  const eventOwner = new Map<string, string>();
  for (const service of OUTBOX_SERVICES) {
    const rows = await platform.sql<OutboxRow>(
      service,
      'SELECT id::text, topic, event_type, payload::text AS payload, published_at IS NOT NULL AS published FROM outbox',
    );
    for (const row of rows) {
      const incident = quotedValues(row.payload)
        .map((v) => owner.get(v))
        .find(Boolean);
      if (!incident) continue;
      eventOwner.set(row.id, incident);
      bump(incident, `${service}.outbox ${row.event_type}`);
      if (row.published) published.push({ id: row.id, topic: row.topic });
      else bump(incident, `${service}.outbox unpublished`);
    }
  }
  for (const service of OUTBOX_SERVICES) {
    for (const r of await platform.sql<{ event_id: string; consumer: string }>(
      service,
      'SELECT event_id::text, consumer FROM inbox',
    ))
      bump(eventOwner.get(r.event_id), `${service}.inbox ${r.consumer}`);
  }
  // What the partners received on their own topics: one message per referral event, by id.
  for (const text of observer?.partner.values() ?? []) {
    const incident = quotedValues(text)
      .map((v) => owner.get(v))
      .find(Boolean);
    bump(incident, 'kafka.partner-topic message');
  }
  return { byIncident: ledger, published };
}

/** The signature most incidents share, as a sorted key=count text (for printing and comparing). */
export const signatureText = (s: Signature) =>
  Object.keys(s)
    .sort()
    .map((k) => `${k}=${s[k]}`)
    .join(', ');

/** Incidents whose signature differs from the expected one, with what differs. */
export function deviations(ledger: Map<string, Signature>, expected: Signature): { id: string; diff: string }[] {
  const out: { id: string; diff: string }[] = [];
  for (const [id, sig] of ledger) {
    const keys = new Set([...Object.keys(sig), ...Object.keys(expected)]);
    const diff = [...keys]
      .filter((k) => (sig[k] ?? 0) !== (expected[k] ?? 0))
      .map((k) => `${k}: ${sig[k] ?? 0} (expected ${expected[k] ?? 0})`);
    if (diff.length) out.push({ id, diff: diff.join('; ') });
  }
  return out;
}

/** Every message of every topic of the private cluster, by CloudEvent id (or key when not a CloudEvent). */
export interface TopicObserver {
  /** How many times each event id was seen, per topic. */
  seen: Map<string, Map<string, number>>;
  /** Partner topics' messages by event id (redeliveries of one id collapse): their text, for the referrals they name. */
  partner: Map<string, string>;
  stop(): Promise<void>;
}

/** Reads every topic of the private cluster from the beginning (it holds only this suite's events). */
export async function observeTopics(brokers: string[], topics: (string | RegExp)[]): Promise<TopicObserver> {
  // The observer rides out every injected outage like the services do; its own complaints about
  // them would only bury the scenario lines.
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
  const kafka = createKafka({ clientId: 'chaos-observer', brokers, logger: quiet });
  const consumer: Consumer = kafka.consumer({
    groupId: `chaos-observer-${Date.now()}`,
    sessionTimeout: 6000,
    heartbeatInterval: 600,
    retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 2000 },
  });
  const seen = new Map<string, Map<string, number>>();
  const partner = new Map<string, string>();
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const parsed = decodeCloudEvent(message.value);
      const id = parsed.ok ? parsed.event.id : `key:${message.key?.toString() ?? ''}`;
      if (topic.startsWith('cit.partner.'))
        partner.set(`${topic} ${id}`, `"${message.key?.toString() ?? ''}" ${message.value?.toString() ?? ''}`);
      let byId = seen.get(topic);
      if (!byId) seen.set(topic, (byId = new Map()));
      byId.set(id, (byId.get(id) ?? 0) + 1);
    },
  });
  return { seen, partner, stop: () => consumer.disconnect() };
}
