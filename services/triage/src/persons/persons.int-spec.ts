import { Module } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import { buildEvent, newId, topicForEventType, topicManifest, type EventData, type EventType } from '@cit/contracts';
import { createKafka } from '@cit/messaging';
import { waitFor } from '@cit/testing';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { CasesModule } from '../cases/cases.module';
import { CrisisPlansModule } from '../crisis-plans/crisis-plans.module';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';
import { PersonsModule } from './persons.module';

@Module({ imports: [AuditModule.forService('triage'), PersonsModule, CasesModule, CrisisPlansModule] })
class PersonsFeature {}

// Contact preferences and person merges on the real database and broker.
describe('persons: contact preferences and merges', () => {
  let t: TriageTestApp;
  let producer: Producer;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.db.ownerDataSource.query(text, params) as Promise<T[]>;
  const events = (caseId: string) =>
    sql<{ event_type: string; data: Record<string, unknown> }>(
      `SELECT event_type, payload->'data' AS data FROM outbox WHERE message_key = $1 ORDER BY seq`,
      [caseId],
    );
  const openCase = async (personId: string, who = 'coordinator') =>
    (await http().post('/v1/cases').set(as(who)).send({ personId, source: 'manual', riskLevel: 'routine' }).expect(201))
      .body as { id: string };
  const publish = async <T extends EventType>(type: T, subject: string, data: EventData<T>, department: string) => {
    const event = buildEvent(type, subject, data, { departmentId: department, correlationId: `cor-${subject}` });
    await producer.send({
      topic: topicForEventType(type),
      acks: -1,
      messages: [{ key: subject, value: JSON.stringify(event) }],
    });
    return event;
  };
  const processed = (eventId: string) =>
    waitFor(
      `event ${eventId} to be processed`,
      async () => (await sql('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).length > 0,
      { timeoutMs: 90_000 },
    );

  beforeAll(async () => {
    t = await startTriageTestApp('triage_persons', { feature: PersonsFeature, consume: true });
    for (const [who, role, dept] of [
      ['coordinator', 'coordinator', 'dept-a'],
      ['supervisor', 'supervisor', 'dept-a'],
      ['officer', 'officer', 'dept-a'],
      ['otherCoordinator', 'coordinator', 'dept-b'],
    ] as const)
      tokens[who] = await t.token(role, dept, `${who}-1`);
    producer = createKafka({
      clientId: `triage-persons-test-${Date.now()}`,
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
    }).producer();
    await producer.connect();
    await waitFor('triage ready', async () => (await fetch(`${t.url}/health/ready`)).status === 200, {
      timeoutMs: 90_000,
    });
    // The consumer's new group starts at the end of the topic: until every partition has delivered
    // one event, a partition's start offset may still be unresolved. One throwaway merge per partition.
    const partitions = topicManifest.topics.find((x) => x.name === 'cit.incident.v1')!.partitions;
    for (;;) {
      const warmups = Array.from({ length: partitions }, () => {
        const [to, from] = [newId('per'), newId('per')];
        return buildEvent(
          'cit.person.merged.v1',
          to,
          { survivingPersonId: to, mergedPersonId: from, mergeId: newId('pmg'), mergedAt: new Date().toISOString() },
          { departmentId: 'warmup-persons', correlationId: 'warmup' },
        );
      });
      await producer.send({
        topic: 'cit.incident.v1',
        acks: -1,
        messages: warmups.map((e, partition) => ({ key: e.subject, value: JSON.stringify(e), partition })),
      });
      const seen = await waitFor(
        'the warm-up merges',
        async () =>
          (await sql('SELECT 1 FROM inbox WHERE event_id::text = ANY($1::text[])', [warmups.map((e) => e.id)]))
            .length === warmups.length,
        { timeoutMs: 15_000 },
      ).catch(() => false);
      if (seen) break;
    }
  }, 180000);
  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await t?.close();
  });

  describe('contact preferences', () => {
    it('"do not contact" refuses staff outreach, records contacts the person starts (flagged), and is announced on the active case', async () => {
      const person = newId('per');
      const c = await openCase(person);
      const put = await http()
        .put(`/v1/persons/${person}/contact-preference`)
        .set(as('coordinator'))
        .send({ doNotContact: true })
        .expect(200);
      expect(put.body).toMatchObject({ effective: { doNotContact: true }, casesAnnounced: [c.id] });
      const [, announced] = await events(c.id);
      expect(announced).toMatchObject({
        event_type: 'cit.case.updated.v1',
        data: { changedFields: ['contactPreference'], contactPreference: { doNotContact: true }, status: 'open' },
      });

      const refused = await http()
        .post(`/v1/cases/${c.id}/contacts`)
        .set(as('coordinator'))
        .send({ outcome: 'attempted', channel: 'phone' })
        .expect(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.detail).toContain('not to be contacted');
      const personCalled = await http()
        .post(`/v1/cases/${c.id}/contacts`)
        .set(as('coordinator'))
        .send({ outcome: 'made', channel: 'phone', initiatedBy: 'person' })
        .expect(201);
      expect(personCalled.body.preferenceFlags).toEqual(['do-not-contact']);
      const [{ count }] = await sql<{ count: number }>(
        'SELECT count(*)::int AS count FROM case_contact WHERE case_id = $1',
        [c.id],
      );
      expect(count).toBe(1);
      const last = (await events(c.id)).at(-1)!;
      expect(last.data).toMatchObject({
        contactPreference: { doNotContact: true },
        contactLogged: { outcome: 'made' },
      });
    });

    it('allowed channels: outreach through another channel is refused; the preference reads back; bad input names the field', async () => {
      const person = newId('per');
      const c = await openCase(person);
      await http()
        .put(`/v1/persons/${person}/contact-preference`)
        .set(as('coordinator'))
        .send({ doNotContact: false, allowedChannels: ['phone'] })
        .expect(200);
      const visit = await http()
        .post(`/v1/cases/${c.id}/contacts`)
        .set(as('coordinator'))
        .send({ outcome: 'attempted', channel: 'home-visit' })
        .expect(409);
      expect(visit.body.detail).toContain('channel');
      await http()
        .post(`/v1/cases/${c.id}/contacts`)
        .set(as('coordinator'))
        .send({ outcome: 'attempted', channel: 'phone' })
        .expect(201);
      const got = await http().get(`/v1/persons/${person}/contact-preference`).set(as('officer')).expect(200);
      expect(got.body).toMatchObject({
        own: { doNotContact: false, allowedChannels: ['phone'], updatedBy: 'coordinator-1' },
        effective: { doNotContact: false, allowedChannels: ['phone'] },
      });
      const bad = await http()
        .put(`/v1/persons/${person}/contact-preference`)
        .set(as('coordinator'))
        .send({ doNotContact: 'yes', allowedChannels: ['pager'] })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'allowedChannels.0',
        'doNotContact',
      ]);
      const other = await http()
        .get(`/v1/persons/${person}/contact-preference`)
        .set(as('otherCoordinator'))
        .expect(200);
      expect(other.body).toEqual({ personId: person, own: null, effective: { doNotContact: false } });
    });
  });

  describe('merge and unmerge (cit.person.merged.v1 / unmerged.v1 through the broker)', () => {
    it('moves the merged person’s cases to the surviving person, applies its plan and preference there, and moves exactly those back on unmerge', async () => {
      const surviving = newId('per');
      const merged = newId('per');
      const survivorCase = await openCase(surviving);
      const mergedCase = await openCase(merged);
      await http()
        .put(`/v1/persons/${merged}/contact-preference`)
        .set(as('coordinator'))
        .send({ doNotContact: true })
        .expect(200);
      await http()
        .put(`/v1/persons/${merged}/crisis-plan`)
        .set(as('coordinator'))
        .send({ content: { whoToCall: [], whatHelps: ['Quiet room'], whatEscalates: [] }, reviewDate: '2099-01-01' })
        .expect(200);
      await http().get(`/v1/persons/${surviving}/crisis-plan`).set(as('coordinator')).expect(404);

      const mergeId = newId('pmg');
      const mergedEvent = await publish(
        'cit.person.merged.v1',
        surviving,
        { survivingPersonId: surviving, mergedPersonId: merged, mergeId, mergedAt: new Date().toISOString() },
        'dept-a',
      );
      await processed(mergedEvent.id);

      const cases = await sql<{ id: string; person_id: string }>(
        'SELECT id, person_id FROM care_case WHERE id = ANY($1::text[]) ORDER BY id',
        [[survivorCase.id, mergedCase.id]],
      );
      expect(cases.every((r) => r.person_id === surviving)).toBe(true);
      const moved = (await events(mergedCase.id)).at(-1)!;
      expect(moved).toMatchObject({
        event_type: 'cit.case.updated.v1',
        data: { personId: surviving, previousPersonId: merged, contactPreference: { doNotContact: true } },
      });
      // The survivor's own case now carries the merged person's "do not contact" too.
      expect((await events(survivorCase.id)).at(-1)!.data).toMatchObject({
        changedFields: ['contactPreference'],
        contactPreference: { doNotContact: true },
      });
      await http()
        .post(`/v1/cases/${survivorCase.id}/contacts`)
        .set(as('coordinator'))
        .send({ outcome: 'attempted', channel: 'phone' })
        .expect(409);
      const plan = await http().get(`/v1/persons/${surviving}/crisis-plan`).set(as('coordinator')).expect(200);
      expect(plan.body).toMatchObject({ personId: surviving, writtenForPersonId: merged });
      const listed = await http().get('/v1/cases').query({ personId: surviving }).set(as('coordinator')).expect(200);
      expect(listed.body.items.map((x: { id: string }) => x.id).sort()).toEqual(
        [survivorCase.id, mergedCase.id].sort(),
      );

      const unmergedEvent = await publish(
        'cit.person.unmerged.v1',
        surviving,
        { survivingPersonId: surviving, mergedPersonId: merged, mergeId, unmergedAt: new Date().toISOString() },
        'dept-a',
      );
      await processed(unmergedEvent.id);
      const after = await sql<{ id: string; person_id: string }>(
        'SELECT id, person_id FROM care_case WHERE id = ANY($1::text[])',
        [[survivorCase.id, mergedCase.id]],
      );
      expect(Object.fromEntries(after.map((r) => [r.id, r.person_id]))).toEqual({
        [survivorCase.id]: surviving,
        [mergedCase.id]: merged,
      });
      expect((await events(mergedCase.id)).at(-1)!.data).toMatchObject({
        personId: merged,
        previousPersonId: surviving,
      });
      expect((await events(survivorCase.id)).at(-1)!.data).toMatchObject({
        contactPreference: { doNotContact: false },
      });
      await http().get(`/v1/persons/${surviving}/crisis-plan`).set(as('coordinator')).expect(404);
      await http()
        .post(`/v1/cases/${survivorCase.id}/contacts`)
        .set(as('coordinator'))
        .send({ outcome: 'attempted', channel: 'phone' })
        .expect(201);
      const audit = await sql(
        'SELECT action, record_type, actor_subject, actor_kind, person_ids FROM audit_log WHERE record_id = $1 AND actor_kind = $2 ORDER BY seq',
        [mergedCase.id, 'system'],
      );
      expect(audit).toEqual([
        {
          action: 'merge',
          record_type: 'case',
          actor_subject: 'triage:person-merge',
          actor_kind: 'system',
          person_ids: [merged, surviving],
        },
        {
          action: 'unmerge',
          record_type: 'case',
          actor_subject: 'triage:person-merge',
          actor_kind: 'system',
          person_ids: [surviving, merged],
        },
      ]);
    });

    it('a merge event of another department never touches this department’s cases', async () => {
      const surviving = newId('per');
      const merged = newId('per');
      const c = await openCase(merged);
      const before = await events(c.id);
      const other = await publish(
        'cit.person.merged.v1',
        surviving,
        {
          survivingPersonId: surviving,
          mergedPersonId: merged,
          mergeId: newId('pmg'),
          mergedAt: new Date().toISOString(),
        },
        'dept-b',
      );
      await processed(other.id);
      const [row] = await sql<{ person_id: string; version: number }>(
        'SELECT person_id, version FROM care_case WHERE id = $1',
        [c.id],
      );
      expect(row).toEqual({ person_id: merged, version: 1 });
      expect(await events(c.id)).toEqual(before);
      const moves = await sql<{ department_id: string }>('SELECT department_id FROM person_move WHERE record_id = $1', [
        merged,
      ]);
      expect(moves).toEqual([{ department_id: 'dept-b' }]);
    });
  });
});
