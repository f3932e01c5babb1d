import { Webhook } from 'standardwebhooks';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startWebhookReceiver } = require('./webhook-receiver.cjs') as {
  startWebhookReceiver(o: {
    secretsFor: (source: string) => string[];
    onDelivery?: (r: Record<string, unknown>) => void;
  }): Promise<{ port: number; url(source: string, rest?: string): string; close(): Promise<void> }>;
};

const secretA = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const secretB = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;

const event = {
  specversion: '1.0',
  id: 'evt_1',
  type: 'cit.referral.requested.v1',
  source: 'cit/referral',
  subject: 'ref_1',
  departmentid: 'demo',
  correlationid: 'cor_1',
  data: {
    referralId: 'ref_1',
    agencyId: 'metro-mobile-crisis',
    urgency: 'urgent',
    disclosure: { fields: ['name'], values: { name: 'enc:v1:agency-x:secret' } },
  },
};

async function deliver(url: string, body: string, secrets: string[], id = 'msg_1', sent = body) {
  const at = new Date();
  const signatures = secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatures,
    },
    body: sent,
  });
}

describe('local Standard Webhooks receiver', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let secrets: Record<string, string[]>;
  const seen: Record<string, unknown>[] = [];

  beforeEach(async () => {
    secrets = { referrals: [secretA], reminders: [] };
    seen.length = 0;
    receiver = await startWebhookReceiver({ secretsFor: (s) => secrets[s] ?? [], onDelivery: (r) => seen.push(r) });
  });
  afterEach(() => receiver.close());

  const list = async (query = '') =>
    (await (await fetch(`http://127.0.0.1:${receiver.port}/deliveries${query}`)).json()) as {
      count: number;
      items: Record<string, unknown>[];
    };

  it('verifies a signed delivery and lists it without disclosure values', async () => {
    const res = await deliver(receiver.url('referrals', 'metro-mobile-crisis'), JSON.stringify(event), [secretA]);
    expect(res.status).toBe(204);
    const { items } = await list();
    expect(items).toEqual([
      expect.objectContaining({
        source: 'referrals',
        target: 'metro-mobile-crisis',
        webhookId: 'msg_1',
        verified: true,
        type: 'cit.referral.requested.v1',
        referralId: 'ref_1',
        correlationId: 'cor_1',
        disclosedFields: ['name'],
      }),
    ]);
    expect(JSON.stringify(items)).not.toContain('enc:v1');
    expect(seen).toHaveLength(1);
  });

  it('refuses a tampered body, a wrong secret and an unknown source, and lists them as unverified', async () => {
    const body = JSON.stringify(event);
    const tampered = body.replace('urgent', 'routine');
    const signed = await deliver(receiver.url('referrals'), body, [secretA], 'msg_1', tampered);
    expect(signed.status).toBe(401);
    expect((await deliver(receiver.url('referrals'), body, [secretB], 'msg_2')).status).toBe(401);
    expect((await deliver(receiver.url('reminders'), body, [secretA], 'msg_3')).status).toBe(401);
    const all = await list();
    expect(all.items.map((d) => [d.webhookId, d.verified])).toEqual([
      ['msg_1', false],
      ['msg_2', false],
      ['msg_3', false],
    ]);
    expect((await list('?verified=true')).count).toBe(0);
    expect(all.items[0]).not.toHaveProperty('type');
  });

  it('accepts either signature while a secret rotates', async () => {
    secrets.referrals = [secretB, secretA];
    expect((await deliver(receiver.url('referrals'), JSON.stringify(event), [secretA])).status).toBe(204);
    expect((await deliver(receiver.url('referrals'), JSON.stringify(event), [secretB, secretA], 'm2')).status).toBe(
      204,
    );
    expect((await list('?source=referrals&verified=true')).count).toBe(2);
  });

  it('lists a follow-up notification by its ids and codes', async () => {
    secrets.reminders = [secretB];
    const body = {
      type: 'reminder-due',
      reminderId: 'rem_1',
      kind: 'mou-expiring',
      occurrence: 1,
      dueAt: '2026-12-02T05:00:00.000Z',
      firedAt: '2026-12-02T05:00:01.000Z',
      late: false,
      target: { type: 'agency', id: 'metro-mobile-crisis' },
      mouId: 'mou-harbor-recovery',
      link: '/v1/reminders/rem_1',
    };
    const res = await deliver(receiver.url('reminders', 'metro-mobile-crisis'), JSON.stringify(body), [secretB]);
    expect(res.status).toBe(204);
    expect((await list('?source=reminders')).items).toEqual([
      expect.objectContaining({
        verified: true,
        type: 'reminder-due',
        reminderId: 'rem_1',
        kind: 'mou-expiring',
        mouId: 'mou-harbor-recovery',
      }),
    ]);
  });
});
