/**
 * Event-driven scheduling and exactly-once firing on the real PostgreSQL, Redis (db 15, own
 * queue prefix) and broker: events built from libs/contracts go through followup's consumer,
 * reminders land in PostgreSQL first, BullMQ fires them, the outbox carries reminder-due and
 * escalated, the in-app feed shows them.
 */
import { randomUUID } from 'node:crypto';
import { newId } from '@cit/contracts';
import { createKafka } from '@cit/messaging';
import { waitFor } from '@cit/testing';
import type { Consumer } from 'kafkajs';
import { FireReminderService } from './fire-reminder/fire-reminder.service';
import { ReminderQueues } from './reminder-queues';
import { startFollowupTestApp, type FollowupTestApp } from '../testing/followup-test-app';

const HOUR = 3600_000;

describe('followup reminders from events', () => {
  let t: FollowupTestApp;

  beforeAll(async () => {
    t = await startFollowupTestApp('followup_rem', { consume: true, followup: { reconcileIntervalMs: 0 } });
  }, 120000);

  afterAll(async () => {
    await t?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.db.ownerDataSource.query(text, params) as Promise<T[]>;
  const reminders = (subject: string) =>
    sql<{
      id: string;
      occurrence: number;
      state: string;
      late: boolean | null;
      due_at: Date;
      step: number;
      kind: string;
      awaited_status: string | null;
    }>(
      `SELECT id, occurrence, state, late, due_at, step, kind, awaited_status FROM reminder WHERE subject_id = $1 ORDER BY occurrence, id`,
      [subject],
    );
  const outboxFor = (reminderId: string) =>
    sql<{ event_type: string; payload: { data: Record<string, unknown> } }>(
      `SELECT event_type, payload FROM outbox WHERE message_key = $1 ORDER BY seq`,
      [reminderId],
    );

  it('case opened → a past-due first contact reminder fires at once, marked late, once; the next one is scheduled; contact moves it; close cancels', async () => {
    const caseId = newId('case');
    const openedAt = new Date(Date.now() - 24 * HOUR - 5000);
    await t.publish('cit.case.opened.v1', caseId, {
      caseId,
      personId: newId('per'),
      incidentIds: [newId('inc')],
      source: 'triage',
      riskLevel: 'urgent',
      assignedTo: 'coordinator-7',
      cadence: ['PT24H', 'PT72H', 'P7D'],
      timeZone: 'America/New_York',
      contactPreference: { doNotContact: false },
      openedAt: openedAt.toISOString(),
      openedBy: 'triage',
    });
    const rows = await waitFor('the first reminder to fire and the second to be scheduled', async () => {
      const r = await reminders(caseId);
      return r.length === 2 && r[0]!.state === 'fired' ? r : undefined;
    });
    expect(rows[0]).toMatchObject({ occurrence: 1, state: 'fired', late: true, step: 0 });
    expect(rows[1]).toMatchObject({ occurrence: 2, state: 'scheduled', step: 1 });
    // 72 h after the first one's due time (24 h after opening).
    expect(new Date(rows[1]!.due_at).getTime()).toBe(openedAt.getTime() + 96 * HOUR);
    const events = await outboxFor(rows[0]!.id);
    expect(events.map((e) => e.event_type)).toEqual(['cit.followup.reminder-due.v1']);
    expect(events[0]!.payload.data).toMatchObject({
      kind: 'case-contact',
      caseId,
      assigneeId: 'coordinator-7',
      late: true,
      occurrence: 1,
    });
    // The second occurrence waits in Redis as a delayed job whose id is the occurrence's id.
    const queues = t.app.get(ReminderQueues);
    expect(await (await queues.reminders.getJob(rows[1]!.id))?.getState()).toBe('delayed');

    // The in-app feed of the assignee shows it (ids and a link, nothing else).
    const token = await t.token('coordinator', 'dept-a', { subject: 'coordinator-7' });
    const feed = await fetch(`${t.url}/v1/feed`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
      r.json(),
    );
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({
      reminderId: rows[0]!.id,
      caseId,
      link: `/v1/reminders/${rows[0]!.id}`,
      readAt: null,
    });
    const read = await fetch(`${t.url}/v1/feed/${feed.items[0].id}/read`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(201);
    const other = await t.token('coordinator', 'dept-a', { subject: 'coordinator-8' });
    expect(
      (await fetch(`${t.url}/v1/feed`, { headers: { authorization: `Bearer ${other}` } }).then((r) => r.json())).items,
    ).toHaveLength(0);

    // A contact that reached the person supersedes the pending reminder with one counted from the contact.
    const contactedAt = new Date(Date.now() - HOUR);
    await t.publish('cit.case.updated.v1', caseId, {
      caseId,
      personId: newId('per'),
      status: 'in-contact',
      previousStatus: 'open',
      riskLevel: 'urgent',
      assignedTo: 'coordinator-7',
      lastContactAt: contactedAt.toISOString(),
      contactLogged: {
        contactId: newId('cct'),
        outcome: 'made',
        channel: 'phone',
        contactedAt: contactedAt.toISOString(),
        contactedBy: 'coordinator-7',
      },
      contactPreference: { doNotContact: false },
      changedFields: ['status', 'lastContactAt'],
      updatedAt: new Date().toISOString(),
      updatedBy: 'coordinator-7',
    });
    const moved = await waitFor('the contact to move the next reminder', async () => {
      const r = await reminders(caseId);
      return r.length === 3 ? r : undefined;
    });
    expect(moved.map((r) => r.state)).toEqual(['fired', 'superseded', 'scheduled']);
    expect(new Date(moved[2]!.due_at).getTime()).toBe(contactedAt.getTime() + 72 * HOUR);
    expect(await queues.reminders.getJob(moved[1]!.id)).toBeUndefined();

    await t.publish('cit.case.closed.v1', caseId, {
      caseId,
      personId: newId('per'),
      outcome: 'stabilized',
      previousStatus: 'in-contact',
      closedAt: new Date().toISOString(),
      closedBy: 'coordinator-7',
    });
    await waitFor(
      'closing to cancel the pending reminder',
      async () => (await reminders(caseId))[2]!.state === 'cancelled',
    );
    expect(await queues.reminders.getJob(moved[2]!.id)).toBeUndefined();
  });

  it('referral SLA: a check due without the awaited status escalates; a status that meets the other cancels it', async () => {
    const referralId = newId('ref');
    await t.publish('cit.referral.requested.v1', referralId, {
      referralId,
      agencyId: 'metro-mobile-crisis',
      serviceId: 'svc-mobile-crisis-adult',
      mouId: 'mou-2026-metro',
      urgency: 'urgent',
      needs: ['mental-health'],
      legalBasis: 'consent',
      respondBy: new Date(Date.now() + HOUR).toISOString(),
      sla: {
        receiveBy: new Date(Date.now() + 1500).toISOString(),
        acceptBy: new Date(Date.now() + HOUR).toISOString(),
      },
      attempt: 1,
    });
    const fired = await waitFor('the receive check to fire', async () => {
      const r = await reminders(referralId);
      return r.find((x) => x.awaited_status === 'received' && x.state === 'fired');
    });
    const events = await outboxFor(fired.id);
    expect(events.map((e) => e.event_type)).toEqual(['cit.followup.reminder-due.v1', 'cit.followup.escalated.v1']);
    expect(events[1]!.payload.data).toMatchObject({
      referralId,
      agencyId: 'metro-mobile-crisis',
      reason: 'sla-not-received',
      escalatedTo: 'rerouting',
    });

    await t.publish('cit.referral.status-changed.v1', referralId, {
      referralId,
      agencyId: 'metro-mobile-crisis',
      from: 'requested',
      to: 'accepted',
      changedBy: 'partner',
    });
    await waitFor('acceptance to cancel the accept check', async () => {
      const r = await reminders(referralId);
      return r.find((x) => x.awaited_status === 'accepted')?.state === 'cancelled';
    });
  });

  it('a referral that got its status before the check came due is not escalated', async () => {
    const referralId = newId('ref');
    const dueSoon = new Date(Date.now() + 2500).toISOString();
    await t.publish('cit.referral.requested.v1', referralId, {
      referralId,
      agencyId: 'harbor-recovery',
      serviceId: 'svc-1',
      mouId: 'mou-1',
      urgency: 'emergent',
      needs: ['substance-use'],
      legalBasis: 'consent',
      respondBy: dueSoon,
      sla: { receiveBy: dueSoon, acceptBy: dueSoon },
      attempt: 1,
    });
    await t.publish('cit.referral.status-changed.v1', referralId, {
      referralId,
      agencyId: 'harbor-recovery',
      from: 'requested',
      to: 'accepted',
      changedBy: 'partner',
    });
    await waitFor('both checks to be cancelled', async () => {
      const r = await reminders(referralId);
      return r.length === 2 && r.every((x) => x.state === 'cancelled');
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect((await reminders(referralId)).map((r) => r.state)).toEqual(['cancelled', 'cancelled']);
    expect(await sql(`SELECT 1 FROM outbox WHERE payload->'data'->>'referralId' = $1`, [referralId])).toHaveLength(0);
  });

  it('conference sessions, action items and expiring MOUs schedule reminders to agencies and the admin', async () => {
    const sessionId = newId('ses');
    await t.publish('cit.conference.session-scheduled.v1', sessionId, {
      sessionId,
      seriesId: 'ser-weekly-hub',
      seriesKind: 'hub',
      startsAt: new Date(Date.now() + 3 * HOUR).toISOString(),
      endsAt: new Date(Date.now() + 4 * HOUR).toISOString(),
      caseCapacity: 6,
      memberAgencyIds: ['agency-a', 'agency-b'],
      status: 'scheduled',
    });
    // 48 h before is past: fires at once (late); 2 h before is 1 h from now.
    const session = await waitFor('session reminders', async () => {
      const r = await sql<{ state: string; target_id: string; late: boolean | null }>(
        `SELECT state, target_id, late FROM reminder WHERE session_id = $1 ORDER BY due_at, target_id`,
        [sessionId],
      );
      return r.length === 4 && r.filter((x) => x.state === 'fired').length === 2 ? r : undefined;
    });
    expect(session).toEqual([
      { state: 'fired', target_id: 'agency-a', late: true },
      { state: 'fired', target_id: 'agency-b', late: true },
      { state: 'scheduled', target_id: 'agency-a', late: null },
      { state: 'scheduled', target_id: 'agency-b', late: null },
    ]);

    const caseId = newId('case');
    const actionItemId = newId('act');
    await t.publish('cit.conference.outcome-recorded.v1', sessionId, {
      sessionId,
      caseId,
      decision: 'acutely-elevated-risk',
      leadAgencyId: 'agency-a',
      assistingAgencyIds: ['agency-b'],
      actionItems: [
        {
          actionItemId,
          ownerAgencyId: 'agency-b',
          dueAt: new Date(Date.now() + 1000).toISOString(),
          kind: 'home-visit',
        },
      ],
    });
    await waitFor('the action item reminder to fire', async () => {
      const r = await reminders(actionItemId);
      return r[0]?.state === 'fired';
    });

    const mouId = `mou-${randomUUID().slice(0, 8)}`;
    await t.publish('cit.referral.mou-changed.v1', mouId, {
      mouId,
      agencyId: 'agency-a',
      status: 'active',
      effectiveFrom: '2026-01-01',
      expiresOn: new Date(Date.now() + 30 * 24 * HOUR).toISOString().slice(0, 10),
      revision: 3,
    });
    const mou = await waitFor('the MOU reminder to fire for the admin', async () => {
      const r = await sql<{ id: string; state: string; target_type: string; target_id: string }>(
        `SELECT id, state, target_type, target_id FROM reminder WHERE subject_id = $1`,
        [mouId],
      );
      return r[0]?.state === 'fired' ? r[0] : undefined;
    });
    expect(mou).toMatchObject({ target_type: 'unit', target_id: 'program-admin' });
  });

  it('a closed action item cancels its pending reminder and removes its job; a redelivery changes nothing; a fired one stays fired', async () => {
    const sessionId = newId('ses');
    const caseId = newId('case');
    const [done, open, fired] = [newId('act'), newId('act'), newId('act')];
    const item = (actionItemId: string, dueAt: number) => ({
      actionItemId,
      ownerAgencyId: 'agency-b',
      dueAt: new Date(dueAt).toISOString(),
      kind: 'report-back' as const,
    });
    await t.publish('cit.conference.outcome-recorded.v1', sessionId, {
      sessionId,
      caseId,
      decision: 'acutely-elevated-risk',
      leadAgencyId: 'agency-a',
      assistingAgencyIds: ['agency-b'],
      actionItems: [item(done, Date.now() + 48 * HOUR), item(open, Date.now() + 72 * HOUR), item(fired, Date.now())],
      status: 'carry-over',
    });
    const rows = () =>
      sql<{ subject_id: string; id: string; state: string; updated_at: Date }>(
        `SELECT subject_id, id, state, updated_at FROM reminder WHERE kind = 'action-item' AND subject_id = ANY($1)
          ORDER BY due_at DESC`,
        [[done, open, fired]],
      );
    const before = await waitFor('two reminders waiting and one fired', async () => {
      const r = await rows();
      return r.map((x) => x.state).join() === 'scheduled,scheduled,fired' ? r : undefined;
    });
    const [openReminder, doneReminder] = [before[0]!.id, before[1]!.id];
    const queues = t.app.get(ReminderQueues);
    expect(await (await queues.reminders.getJob(doneReminder))?.getState()).toBe('delayed');

    const closed = (actionItemId: string, resolution: 'completed' | 'cancelled') => ({
      sessionId,
      actionItemId,
      outcomeId: newId('out'),
      nominationId: newId('nom'),
      caseId,
      ownerAgencyId: 'agency-b',
      resolution,
      closedAt: new Date().toISOString(),
    });
    const completed = await t.publish('cit.conference.action-item-closed.v1', sessionId, closed(done, 'completed'));
    await waitFor('the completed item to cancel its reminder', async () => (await rows())[1]!.state === 'cancelled');
    expect(await queues.reminders.getJob(doneReminder)).toBeUndefined();
    // The other item of the outcome is untouched.
    expect(await (await queues.reminders.getJob(openReminder))?.getState()).toBe('delayed');
    const after = await rows();
    expect(after.map((r) => [r.subject_id, r.state])).toEqual([
      [open, 'scheduled'],
      [done, 'cancelled'],
      [fired, 'fired'],
    ]);

    // The same event again (the relay re-sent it), then the fired item's close on the same key,
    // so once that one is handled the duplicate has been read too.
    await t.publishRaw('cit.conference.v1', sessionId, JSON.stringify(completed));
    const late = await t.publish('cit.conference.action-item-closed.v1', sessionId, closed(fired, 'cancelled'));
    const handled = (eventId: string) => sql(`SELECT 1 FROM inbox WHERE event_id = $1`, [eventId]);
    await waitFor('the fired item’s close to be handled', async () => (await handled(late.id)).length === 1);
    expect(await handled(completed.id)).toHaveLength(1);
    expect(await rows()).toEqual(after);
    expect(await (await queues.reminders.getJob(openReminder))?.getState()).toBe('delayed');
  });

  it('firing is exactly once under concurrent deliveries of the same job', async () => {
    const caseId = newId('case');
    await t.publish('cit.case.opened.v1', caseId, {
      caseId,
      personId: newId('per'),
      incidentIds: [],
      source: 'manual',
      riskLevel: 'routine',
      assignedTo: 'coordinator-9',
      cadence: ['P7D'],
      contactPreference: { doNotContact: false },
      openedAt: new Date().toISOString(),
      openedBy: 'coordinator-9',
    });
    const [first] = await waitFor('the reminder row', async () => {
      const r = await reminders(caseId);
      return r.length === 1 ? r : undefined;
    });
    // Make it due now and fire it from ten callers at once (a redelivered or duplicated job).
    await sql(`UPDATE reminder SET due_at = now() WHERE id = $1`, [first!.id]);
    const fire = t.app.get(FireReminderService);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => fire.fire('dept-a', first!.id)));
    expect(outcomes.filter((o) => o.outcome === 'fired')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'skipped')).toHaveLength(9);
    expect((await outboxFor(first!.id)).filter((e) => e.event_type === 'cit.followup.reminder-due.v1')).toHaveLength(1);
    expect(await sql(`SELECT 1 FROM notification WHERE reminder_id = $1`, [first!.id])).toHaveLength(1);
  });

  it('an unknown event version goes to the DLQ with the reason', async () => {
    const key = newId('case');
    const kafka = createKafka({
      clientId: `dlq-check-${t.run}`,
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
    });
    const consumer: Consumer = kafka.consumer({
      groupId: `dlq-check-${t.run}`,
      sessionTimeout: 6000,
      heartbeatInterval: 600,
    });
    const seen: Array<{ key: string; headers: Record<string, string> }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'cit.case.v1.dlq', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== key) return;
        seen.push({
          key,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    try {
      await t.publishRaw(
        'cit.case.v1',
        key,
        JSON.stringify({
          specversion: '1.0',
          id: randomUUID(),
          source: '/cit/triage',
          type: 'cit.case.opened.v2',
          subject: key,
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          departmentid: 'dept-a',
          correlationid: 'cor-1',
          data: { caseId: key },
        }),
      );
      const dead = await waitFor(
        'the dead letter',
        () => seen.find((s) => s.headers['dlq-consumer-group'] === t.env.CONSUMER_GROUP),
        {
          timeoutMs: 60000,
        },
      );
      expect(dead.headers['dlq-error']).toContain('unknown event type cit.case.opened.v2');
      expect(dead.headers['dlq-original-topic']).toBe('cit.case.v1');
      expect(await reminders(key)).toHaveLength(0);
    } finally {
      await consumer.disconnect();
    }
  });
});
