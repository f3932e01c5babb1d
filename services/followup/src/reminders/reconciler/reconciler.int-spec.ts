/**
 * The reconciler against a Redis that lost everything: thousands of scheduled reminders, a
 * FLUSHDB of the tests' own Redis database (db 15: nobody else's data), then every reminder
 * still fires exactly once — past-due ones at once (late), future ones on time. And a dropped
 * Redis connection (the workers' connections killed, as a Redis restart does) does not make a
 * delayed job fire late (taskforcesh/bullmq#1658).
 */
import { tenantTransaction } from '@cit/persistence';
import { waitFor } from '@cit/testing';
import { DataSource } from 'typeorm';
import { ReminderQueues } from '../reminder-queues';
import { insertReminders, type ReminderDraft } from '../reminder-store';
import { ReconcilerService } from './reconciler.service';
import { startFollowupTestApp, type FollowupTestApp } from '../../testing/followup-test-app';

describe('reconciler', () => {
  let t: FollowupTestApp;

  beforeAll(async () => {
    t = await startFollowupTestApp('followup_recon', {
      followup: { reconcileIntervalMs: 0, concurrency: 16, lateToleranceMs: 2000 },
    });
  }, 120000);

  afterAll(async () => {
    await t?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.db.ownerDataSource.query(text, params) as Promise<T[]>;

  async function schedule(department: string, count: number, dueAt: (i: number) => Date, tag: string) {
    const drafts: ReminderDraft[] = Array.from({ length: count }, (_, i) => ({
      departmentId: department,
      kind: 'action-item',
      subjectId: `act_${tag}_${i}`,
      actionItemId: `act_${tag}_${i}`,
      occurrence: 1,
      targetType: 'agency',
      targetId: 'agency-a',
      dueAt: dueAt(i),
      correlationId: `cor-${tag}`,
    }));
    const rows = await tenantTransaction(t.app.get(DataSource), department, (em) => insertReminders(em, drafts));
    await t.app.get(ReminderQueues).enqueueReminders(rows);
    return rows;
  }

  it('after FLUSHDB with thousands pending, every reminder fires exactly once; future ones on time', async () => {
    const queues = t.app.get(ReminderQueues);
    const start = Date.now();
    // 500 already past due (they fire now, before the flush), 2,000 coming due 30–70 s from now (50 a second:
    // the machine running this is shared and often loaded), in two departments.
    await schedule('dept-a', 500, () => new Date(start - 60_000), 'past');
    await schedule('dept-a', 1000, (i) => new Date(start + 30000 + i * 40), 'a');
    await schedule('dept-b', 1000, (i) => new Date(start + 30020 + i * 40), 'b');
    await waitFor('the past-due ones to fire', async () => {
      const [r] = await sql<{ n: string }>(`SELECT count(*) AS n FROM reminder WHERE state = 'fired'`);
      return Number(r!.n) === 500;
    });
    expect((await queues.reminders.getJobCounts('delayed')).delayed).toBe(2000);

    // Redis loses everything (FLUSHALL / restart without persistence, simulated on db 15 only).
    await t.redis.flushdb();
    expect((await queues.reminders.getJobCounts('delayed')).delayed).toBe(0);

    const result = await t.app.get(ReconcilerService).reconcile();
    expect(result).toMatchObject({ scanned: 2000, missing: 2000, retried: 0 });
    expect(Date.now()).toBeLessThan(start + 30000); // the reconcile finished before the first came due

    await waitFor(
      'all 2,500 to fire',
      async () => {
        const [r] = await sql<{ n: string }>(`SELECT count(*) AS n FROM reminder WHERE state = 'fired'`);
        return Number(r!.n) === 2500;
      },
      // The last come due 70 s after the start.
      { timeoutMs: 120000 },
    );
    const dupes = await sql(
      `SELECT message_key FROM outbox WHERE event_type = 'cit.followup.reminder-due.v1' GROUP BY message_key HAVING count(*) <> 1`,
    );
    expect(dupes).toEqual([]);
    const [events] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM outbox WHERE event_type = 'cit.followup.reminder-due.v1'`,
    );
    expect(Number(events!.n)).toBe(2500);
    const [feed] = await sql<{ n: string }>(`SELECT count(*) AS n FROM notification WHERE channel = 'feed'`);
    expect(Number(feed!.n)).toBe(2500);
    const [p] = await sql<{ p99: number; max: number }>(
      `SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY lateness_ms) AS p99, max(lateness_ms) AS max FROM reminder WHERE subject_id NOT LIKE 'act_past_%'`,
    );
    process.stdout.write(`reconciled reminders: lateness p99 ${p!.p99} ms, max ${p!.max} ms\n`);
    const late = await sql<{ subject: string; late: boolean; n: string }>(
      `SELECT split_part(subject_id, '_', 2) AS subject, late, count(*) AS n FROM reminder GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    // Past-due ones are marked late; none of those due after the flush and reconcile fired late.
    expect(late).toEqual([
      { subject: 'a', late: false, n: '1000' },
      { subject: 'b', late: false, n: '1000' },
      { subject: 'past', late: true, n: '500' },
    ]);

    // A second pass finds nothing to do; a job added again for a fired reminder fires nothing.
    expect(await t.app.get(ReconcilerService).reconcile()).toMatchObject({ scanned: 0, missing: 0 });
    const [one] = await sql<{ id: string }>(`SELECT id FROM reminder WHERE department_id = 'dept-b' LIMIT 1`);
    await queues.enqueueReminders([{ id: one!.id, departmentId: 'dept-b', dueAt: new Date() }]);
    await waitFor('the duplicate job to complete', async () => !(await queues.reminders.getJob(one!.id)));
    const [again] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM outbox WHERE event_type = 'cit.followup.reminder-due.v1'`,
    );
    expect(Number(again!.n)).toBe(2500);
  }, 240000);

  it('a delayed job fires on time after the workers lost their Redis connections', async () => {
    const start = Date.now();
    const rows = await schedule('dept-c', 20, () => new Date(start + 5000), 'reconnect');
    // Kill exactly this test's worker connections (by client name), as a Redis restart would.
    const clients = (await t.redis.client('LIST')) as string;
    const ids = clients
      .split('\n')
      .filter((line) => line.includes(`name=${t.options.queuePrefix}-reminder-worker`))
      .map((line) => /id=(\d+)/.exec(line)![1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await t.redis.client('KILL', 'ID', id);
    await waitFor(
      'the 20 reminders to fire',
      async () => {
        const r = await sql<{ n: string }>(
          `SELECT count(*) AS n FROM reminder WHERE department_id = 'dept-c' AND state = 'fired'`,
        );
        return Number(r[0]!.n) === 20;
      },
      { timeoutMs: 30000 },
    );
    const lateness = await sql<{ late: boolean; lateness_ms: number }>(
      `SELECT late, lateness_ms FROM reminder WHERE id = ANY($1)`,
      [rows.map((r) => r.id)],
    );
    expect(lateness.filter((r) => r.late)).toEqual([]);
  }, 60000);
});
