/**
 * SIGKILL of a worker process mid-job: a real followup worker (its own OS process) fires
 * 2,000 reminders and delivers their webhooks; it is killed while jobs are active; a second
 * worker takes the stalled jobs over. Every reminder fires exactly once (one reminder-due event,
 * one feed item, one webhook notification each), every webhook is delivered with a valid
 * Standard Webhooks signature, and no notification id is missing at the receiver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tenantTransaction } from '@cit/persistence';
import { waitFor } from '@cit/testing';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { ReminderQueues } from '../reminder-queues';
import { insertReminders } from '../reminder-store';
import { startFollowupTestApp, type FollowupTestApp } from '../../testing/followup-test-app';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const SECRET = `whsec_${Buffer.from('followup-crash-test-secret-0123456789').toString('base64')}`;
const COUNT = 2000;

interface Child {
  child: ChildProcess;
  exited: Promise<NodeJS.Signals | number | null>;
  output: string[];
}

describe('worker SIGKILL mid-job', () => {
  let t: FollowupTestApp;
  let server: Server;
  let webhookUrl: string;
  const received = new Map<string, number>();
  let badSignatures = 0;
  const children: Child[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          new Webhook(SECRET).verify(body, req.headers as Record<string, string>);
          const id = String(req.headers['webhook-id']);
          received.set(id, (received.get(id) ?? 0) + 1);
        } catch {
          badSignatures++;
        }
        // Slow receiver: deliveries are in flight when the worker dies.
        setTimeout(() => res.writeHead(204).end(), 50);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    t = await startFollowupTestApp('followup_crash', { followup: { workers: false, reconcileIntervalMs: 0 } });
  }, 120000);

  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await t?.close();
    await new Promise((r) => server?.close(r));
  });

  function startWorker(reconcileIntervalMs = 0): Promise<Child> {
    const output: string[] = [];
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(__dirname, '..', '..', 'testing', 'swc-register.cjs'),
        join(__dirname, '..', '..', 'testing', 'worker-process.ts'),
      ],
      {
        cwd: ROOT,
        env: {
          ...t.env,
          FOLLOWUP_TEST_OPTIONS: JSON.stringify({
            queuePrefix: t.options.queuePrefix,
            lockDurationMs: 2000,
            stalledIntervalMs: 1000,
            concurrency: 8,
            reconcileIntervalMs,
            notificationBackoffMs: 200,
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const c = { child, exited, output };
    children.push(c);
    return waitFor(
      'the worker process to start',
      () => {
        if (child.exitCode !== null) throw new Error(`worker exited: ${output.join('').slice(-2000)}`);
        return output.join('').includes('worker ready') ? c : undefined;
      },
      { timeoutMs: 90000 },
    );
  }

  const count = async (text: string, params: unknown[] = []) =>
    Number(((await t.db.ownerDataSource.query(text, params)) as Array<{ n: string }>)[0]!.n);

  it('every reminder fires exactly once and every webhook arrives', async () => {
    const admin = await t.token('admin');
    const endpoint = await fetch(`${t.url}/v1/notification-endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'webhook',
        target: { type: 'agency', id: 'agency-crash' },
        url: webhookUrl,
        secret: SECRET,
      }),
    });
    expect(endpoint.status).toBe(201);

    const first = await startWorker();
    const start = Date.now();
    const rows = await tenantTransaction(t.app.get(DataSource), 'dept-a', (em) =>
      insertReminders(
        em,
        Array.from({ length: COUNT }, (_, i) => ({
          departmentId: 'dept-a',
          kind: 'action-item' as const,
          subjectId: `act_crash_${i}`,
          actionItemId: `act_crash_${i}`,
          occurrence: 1,
          targetType: 'agency' as const,
          targetId: 'agency-crash',
          dueAt: new Date(start + (i % 400) * 10),
          correlationId: 'cor-crash',
        })),
      ),
    );
    const queues = t.app.get(ReminderQueues);
    await queues.enqueueReminders(rows);

    await waitFor(
      'a fifth of them to fire',
      async () => (await count(`SELECT count(*) AS n FROM reminder WHERE state = 'fired'`)) >= COUNT / 5,
      {
        timeoutMs: 60000,
        intervalMs: 50,
      },
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const firedAtKill = await count(`SELECT count(*) AS n FROM reminder WHERE state = 'fired'`);
    const active =
      (await queues.reminders.getJobCounts('active')).active +
      (await queues.notifications.getJobCounts('active')).active;
    // Mid-job: the dead worker still holds jobs (their locks expire; the next worker takes them over).
    expect(active).toBeGreaterThan(0);
    expect(firedAtKill).toBeLessThan(COUNT);

    // The replacement runs the reconciler on a schedule, as production does (every 60 s there):
    // it is part of the guarantee. One loaded CI run (2026-12-02) had something still undone
    // 120 s after the restart with only the start-up reconcile; not root-caused, so a timeout
    // now reports where every reminder and notification stood.
    const second = await startWorker(5000);
    try {
      await waitFor(
        'every reminder to fire and every webhook to be delivered',
        async () =>
          (await count(`SELECT count(*) AS n FROM reminder WHERE state = 'fired'`)) === COUNT &&
          (await count(`SELECT count(*) AS n FROM notification WHERE channel = 'webhook' AND state = 'delivered'`)) ===
            COUNT,
        { timeoutMs: 120000, intervalMs: 500 },
      );
    } catch (err) {
      const states = await t.db.ownerDataSource.query(
        `SELECT 'reminder' AS kind, state, count(*) AS n FROM reminder GROUP BY state
         UNION ALL SELECT 'notification ' || channel, state, count(*) FROM notification GROUP BY channel, state`,
      );
      const jobs = {
        reminders: await queues.reminders.getJobCounts(),
        notifications: await queues.notifications.getJobCounts(),
      };
      throw new Error(
        `${(err as Error).message}\nstates: ${JSON.stringify(states)}\njobs: ${JSON.stringify(jobs)}\nworker: ${second.output.join('').slice(-3000)}`,
      );
    }

    expect(
      await count(
        `SELECT count(*) AS n FROM (SELECT message_key FROM outbox WHERE event_type = 'cit.followup.reminder-due.v1' GROUP BY message_key HAVING count(*) <> 1) d`,
      ),
    ).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE event_type = 'cit.followup.reminder-due.v1'`)).toBe(
      COUNT,
    );
    expect(await count(`SELECT count(*) AS n FROM notification WHERE channel = 'feed'`)).toBe(COUNT);
    expect(await count(`SELECT count(*) AS n FROM notification WHERE channel = 'webhook'`)).toBe(COUNT);
    // Every notification id reached the receiver, signed; one in flight at the kill may have arrived twice
    // (webhook delivery is at-least-once: receivers de-duplicate on webhook-id).
    expect(received.size).toBe(COUNT);
    expect(badSignatures).toBe(0);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 300000);
});
