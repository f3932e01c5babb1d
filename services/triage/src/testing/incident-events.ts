import { randomUUID } from 'node:crypto';
import {
  buildEvent,
  incidentReported,
  type IncidentReclassified,
  type IncidentReported,
  type CloudEvent,
  topicManifest,
} from '@cit/contracts';
import { createKafka, createProducer } from '@cit/messaging';
import type { Producer } from 'kafkajs';

const hex = () => randomUUID().replace(/-/g, '');

/** An incident.reported data with fresh ids, codes from `patch` (subject flags merged). */
export function reportedData(
  patch: Partial<Omit<IncidentReported, 'subjects'>> & {
    personId?: string | null;
    flags?: Partial<IncidentReported['subjects'][number]['flags']>;
  } = {},
): IncidentReported {
  const { personId, flags, ...rest } = patch;
  const subject = incidentReported.example.subjects[0];
  return {
    ...incidentReported.example,
    incidentId: `inc_${hex()}`,
    occurredAt: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    ...rest,
    subjects: [
      {
        ...subject,
        subjectId: `sub_${hex()}`,
        ...(personId === null ? { personId: undefined } : { personId: personId ?? `per_${hex()}` }),
        flags: { ...subject.flags, veteran: false, ...flags },
      },
    ],
  };
}

export function reportedEvent(department: string, data: IncidentReported): CloudEvent<IncidentReported> {
  return buildEvent('cit.incident.reported.v1', data.incidentId, data, {
    departmentId: department,
    correlationId: randomUUID(),
  });
}

export function reclassifiedEvent(department: string, data: IncidentReclassified): CloudEvent<IncidentReclassified> {
  return buildEvent('cit.incident.reclassified.v1', data.incidentId, data, {
    departmentId: department,
    correlationId: randomUUID(),
  });
}

/** Publishes events on cit.incident.v1 (keyed by subject) as intake's relay does. */
export class IncidentPublisher {
  private readonly producer: Producer;

  constructor(clientId = 'triage-test') {
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    this.producer = createProducer(createKafka({ clientId, brokers }));
  }

  async connect() {
    await this.producer.connect();
  }

  async publish(events: CloudEvent[]) {
    await this.producer.send({
      topic: 'cit.incident.v1',
      acks: -1,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
  }

  /**
   * One incident per partition of cit.incident.v1 in a throwaway department, so a consumer that
   * starts at the end of the topic has resolved every partition's offset once all are seen.
   * Returns the incident ids to wait for.
   */
  async warmUp(department: string): Promise<string[]> {
    const partitions = topicManifest.topics.find((t) => t.name === 'cit.incident.v1')!.partitions;
    const events = Array.from({ length: partitions }, () =>
      reportedEvent(department, reportedData({ personId: null })),
    );
    await this.producer.send({
      topic: 'cit.incident.v1',
      acks: -1,
      messages: events.map((e, partition) => ({ key: e.subject, value: JSON.stringify(e), partition })),
    });
    return events.map((e) => e.subject);
  }

  async close() {
    await this.producer.disconnect();
  }
}
