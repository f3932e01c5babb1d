/**
 * Notifications that fail and the ops surface, on the real PostgreSQL, Redis (db 15) and broker:
 * email over SMTP to a receiver started here, a refusing SMTP server and a refusing webhook
 * (retried with backoff, then failed and visible to ops; released by ops-admin), Bull Board
 * behind authentication (ops reads, only ops-admin changes), Prometheus queue metrics, and
 * dead letters listed and inspected with PHI redacted, replayed by ops-admin and recorded.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { newId } from '@cit/contracts';
import { tenantTransaction } from '@cit/persistence';
import { waitFor } from '@cit/testing';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { ReminderQueues } from '../reminders/reminder-queues';
import { insertReminders } from '../reminders/reminder-store';
import { startFollowupTestApp, type FollowupTestApp } from '../testing/followup-test-app';

const SECRET = `whsec_${Buffer.from('followup-ops-test-secret-0123456789').toString('base64')}`;

describe('notifications that fail, and the ops surface', () => {
  let t: FollowupTestApp;
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: Array<{ to: string; text: string }> = [];
  let refuseRecipient = 'refuse@agency.example';
  let hook: Server;
  let hookUrl: string;
  const hookStatus = 503;
  let hookCalls = 0;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address === refuseRecipient)
          return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            text: Buffer.concat(chunks).toString('utf8'),
          });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    hook = createServer((req, res) => {
      hookCalls++;
      req.resume();
      req.on('end', () => res.writeHead(hookStatus).end());
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    t = await startFollowupTestApp('followup_ops', {
      consume: true,
      followup: { reconcileIntervalMs: 0, notificationAttempts: 3, notificationBackoffMs: 100 },
    });
  }, 120000);

  afterAll(async () => {
    await t?.close();
    await new Promise((r) => smtp?.close(() => r(undefined)));
    await new Promise((r) => hook?.close(r));
  });

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.db.ownerDataSource.query(text, params) as Promise<T[]>;

  async function fireFor(target: string): Promise<string> {
    const subject = newId('act');
    const [row] = await tenantTransaction(t.app.get(DataSource), 'dept-a', (em) =>
      insertReminders(em, [
        {
          departmentId: 'dept-a',
          kind: 'action-item',
          subjectId: subject,
          actionItemId: subject,
          caseId: newId('case'),
          occurrence: 1,
          targetType: 'agency',
          targetId: target,
          dueAt: new Date(),
          correlationId: 'cor-ops',
        },
      ]),
    );
    await t.app.get(ReminderQueues).enqueueReminders([row!]);
    return row!.id;
  }

  it('email over SMTP reaches the receiver with ids and a link; a refusing server is retried, then failed and visible to ops', async () => {
    const admin = await t.token('admin');
    const settings = await api('GET', '/v1/settings/followup', admin);
    expect(settings.status).toBe(200);
    const put = await api('PUT', '/v1/settings/followup', admin, {
      ...settings.json(),
      smtp: { host: '127.0.0.1', port: smtpPort, from: 'cit-followup@dept-a.example', secure: false },
    });
    expect(put.status).toBe(200);
    const bad = await api('PUT', '/v1/settings/followup', admin, { ...settings.json(), timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('timeZone');
    for (const [target, email] of [
      ['agency-mail', 'duty@agency.example'],
      ['agency-refuse', refuseRecipient],
    ]) {
      const r = await api('POST', '/v1/notification-endpoints', admin, {
        channel: 'email',
        target: { type: 'agency', id: target },
        email,
      });
      expect(r.status).toBe(201);
    }

    const delivered = await fireFor('agency-mail');
    const mail = await waitFor('the email', () => mails.find((m) => m.text.includes(delivered)));
    expect(mail.to).toBe('duty@agency.example');
    expect(mail.text).toContain(`/v1/reminders/${delivered}`);

    const refused = await fireFor('agency-refuse');
    const failed = await waitFor('the refused email to be failed after 3 attempts', async () => {
      const [n] = await sql<{ id: string; state: string; attempts: number; last_error: string }>(
        `SELECT id, state, attempts, last_error FROM notification WHERE reminder_id = $1 AND channel = 'email'`,
        [refused],
      );
      return n?.state === 'failed' ? n : undefined;
    });
    expect(failed).toMatchObject({ attempts: 3, last_error: 'smtp refused (550)' });
    expect(
      await sql(`SELECT attempt, outcome FROM notification_attempt WHERE notification_id = $1 ORDER BY attempt`, [
        failed.id,
      ]),
    ).toEqual([
      { attempt: 1, outcome: 'failed' },
      { attempt: 2, outcome: 'failed' },
      { attempt: 3, outcome: 'failed' },
    ]);
    const ops = await t.token('ops');
    const list = await api('GET', '/v1/ops/jobs/failed?queue=notifications', ops);
    expect(list.status).toBe(200);
    expect(list.json().items.map((j: { id: string }) => j.id)).toContain(failed.id);
    expect(list.text).not.toContain('@agency.example');

    // Ops may look but not retry; ops-admin retries once the mailbox accepts again.
    expect(
      (await api('POST', '/v1/ops/jobs/failed/retry', ops, { queue: 'notifications', ids: [failed.id] })).status,
    ).toBe(403);
    refuseRecipient = 'nobody@nowhere.example';
    const retried = await api('POST', '/v1/ops/jobs/failed/retry', await t.token('ops-admin'), {
      queue: 'notifications',
      ids: [failed.id],
    });
    expect(retried.status).toBe(201);
    await waitFor('the retried email', () => mails.find((m) => m.text.includes(refused)));
    await waitFor('the notification to be delivered, its 4th attempt recorded', async () => {
      const rows = await sql<{ attempt: number; outcome: string }>(
        `SELECT attempt, outcome FROM notification_attempt WHERE notification_id = $1 ORDER BY attempt`,
        [failed.id],
      );
      return rows.length === 4 && rows[3]!.outcome === 'delivered' ? true : undefined;
    });
  });

  it('a refusing webhook is retried with backoff, then failed and visible to ops', async () => {
    const admin = await t.token('admin');
    const r = await api('POST', '/v1/notification-endpoints', admin, {
      channel: 'webhook',
      target: { type: 'agency', id: 'agency-hook' },
      url: hookUrl,
      secret: SECRET,
    });
    expect(r.status).toBe(201);
    expect(r.text).not.toContain(SECRET);
    const id = await fireFor('agency-hook');
    const n = await waitFor('the webhook notification to fail', async () => {
      const [row] = await sql<{ id: string; state: string; attempts: number; last_error: string }>(
        `SELECT id, state, attempts, last_error FROM notification WHERE reminder_id = $1 AND channel = 'webhook'`,
        [id],
      );
      return row?.state === 'failed' ? row : undefined;
    });
    expect(n).toMatchObject({ attempts: 3, last_error: 'webhook answered 503' });
    expect(hookCalls).toBe(3);
    const reminder = await api('GET', `/v1/reminders/${id}`, await t.token('coordinator'));
    expect(reminder.json().notifications).toEqual(
      expect.arrayContaining([expect.objectContaining({ channel: 'webhook', state: 'failed', attempts: 3 })]),
    );
  });

  it('Bull Board: 401 without a token, 403 for other roles, read-only for ops, retry for ops-admin; jobs findable by id', async () => {
    const jobId = await fireFor('agency-nobody');
    await waitFor('the job to finish', async () => !(await t.app.get(ReminderQueues).reminders.getJob(jobId)));
    expect((await fetch(`${t.url}/ops/queues`)).status).toBe(401);
    expect((await api('GET', '/ops/queues', await t.token('coordinator'))).status).toBe(403);
    const ops = await t.token('ops');
    const page = await api('GET', '/ops/queues', ops);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const queues = await api('GET', '/ops/queues/api/queues', ops);
    expect(queues.status).toBe(200);
    expect(queues.text).toContain('notifications');
    const failed = (await api('GET', '/v1/ops/jobs/failed?queue=notifications', ops)).json().items as Array<{
      id: string;
    }>;
    expect(failed.length).toBeGreaterThan(0);
    const job = await api('GET', `/ops/queues/api/queues/notifications/${failed[0]!.id}`, ops);
    expect(job.status).toBe(200);
    expect(job.text).toContain(failed[0]!.id);
    // Cookie works too (the board's own API calls carry no Authorization header).
    const viaCookie = await fetch(`${t.url}/ops/queues/api/queues`, { headers: { cookie: `cit_ops_token=${ops}` } });
    expect(viaCookie.status).toBe(200);
    expect((await api('PUT', '/ops/queues/api/queues/notifications/retry/failed', ops)).status).toBe(403);
    expect((await api('PUT', '/ops/queues/api/queues/notifications/clean/failed', ops)).status).toBe(403);
    const adminRetry = await api(
      'PUT',
      '/ops/queues/api/queues/notifications/retry/failed',
      await t.token('ops-admin'),
    );
    expect(adminRetry.status).toBeLessThan(300);
  });

  it('Prometheus metrics: jobs per queue and state, and the lateness histogram', async () => {
    const metrics = await fetch(`${t.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/cit_followup_queue_jobs\{[^}]*queue="reminders"[^}]*state="delayed"[^}]*\} \d+/);
    expect(metrics).toMatch(/cit_followup_queue_jobs\{[^}]*queue="notifications"[^}]*state="failed"[^}]*\} \d+/);
    expect(metrics).toMatch(/cit_followup_queue_jobs\{[^}]*state="active"/);
    expect(metrics).toMatch(/cit_followup_reminder_lateness_seconds_bucket\{[^}]*kind="action-item"/);
  });

  it('dead letters: listed and inspected with PHI redacted, replayed only by ops-admin, each replay recorded', async () => {
    const key = newId('case');
    await t.publishRaw(
      'cit.case.v1',
      key,
      JSON.stringify({
        specversion: '1.0',
        id: randomUUID(),
        source: '/cit/triage',
        type: 'cit.case.opened.v9',
        subject: key,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        departmentid: 'dept-a',
        correlationid: 'cor-dlq',
        data: { caseId: key, name: 'Jane Q. Public', narrative: 'said she would hurt herself' },
      }),
    );
    const ops = await t.token('ops');
    const find = async () => {
      const r = await api('GET', '/v1/ops/dead-letters?topic=cit.case.v1&limit=500', ops);
      expect(r.status).toBe(200);
      return (r.json().items as Array<Record<string, unknown>>).filter((d) => d.key === key);
    };
    const [letter] = await waitFor(
      'the dead letter',
      async () => {
        const found = await find();
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 60000, intervalMs: 2000 },
    );
    expect(letter).toMatchObject({
      valid: false,
      eventType: 'cit.case.opened.v9',
      dataKeys: ['caseId', 'name', 'narrative'],
    });
    expect(String(letter!.error)).toContain('unknown event type');
    const one = await api(
      'GET',
      `/v1/ops/dead-letters/message?topic=cit.case.v1.dlq&partition=${letter!.partition}&offset=${letter!.offset}`,
      ops,
    );
    expect(one.status).toBe(200);
    for (const text of [JSON.stringify(letter), one.text]) {
      expect(text).not.toContain('Jane');
      expect(text).not.toContain('hurt');
    }

    const ref = { topic: 'cit.case.v1', partition: letter!.partition, offset: letter!.offset };
    expect((await api('POST', '/v1/ops/dead-letters/replay', ops, ref)).status).toBe(403);
    const replay = await api(
      'POST',
      '/v1/ops/dead-letters/replay',
      await t.token('ops-admin', 'dept-ops', { subject: 'ops-admin-1' }),
      ref,
    );
    expect(replay.status).toBe(201);
    expect(replay.json()).toMatchObject({
      targetTopic: 'cit.case.v1',
      replayedBy: 'ops-admin-1',
      eventType: 'cit.case.opened.v9',
    });
    // Back on its topic, the consumer refuses it again: a second dead letter of the same key.
    await waitFor(
      'the replayed message to be dead-lettered again',
      async () => ((await find()).length >= 2 ? true : undefined),
      {
        timeoutMs: 60000,
        intervalMs: 2000,
      },
    );
    const replays = (await api('GET', '/v1/ops/dead-letters/replays', ops)).json().items;
    expect(replays[0]).toMatchObject({
      dlqTopic: 'cit.case.v1.dlq',
      offset: letter!.offset,
      replayedBy: 'ops-admin-1',
    });
    expect(await sql(`SELECT department_id FROM dlq_replay`)).toEqual([{ department_id: 'dept-a' }]);

    // The same through the command line (npm run ops).
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'ops.cli.ts'),
        'dlq',
        'inspect',
        '--topic',
        'cit.case.v1',
        '--partition',
        String(letter!.partition),
        '--offset',
        String(letter!.offset),
        '--json',
      ],
      { env: { ...t.env }, encoding: 'utf8', timeout: 90000 },
    );
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ key, eventType: 'cit.case.opened.v9' });
    expect(cli.stdout).not.toContain('Jane');
  });
});
