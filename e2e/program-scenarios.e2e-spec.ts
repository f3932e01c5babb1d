/**
 * Issue 15's scenario suite: the CIT program end to end, every service its own OS process on the
 * real PostgreSQL, Redis and broker (one platform start for all scenarios). Each scenario asserts
 * what users see: the services' APIs with staff and partner tokens, the partner's webhook
 * endpoint (Standard Webhooks signatures verified with the partner's secret) and the partner's
 * Kafka topic cit.partner.<agency>.referrals.v1. Waits are polls with generous deadlines; no
 * assertion depends on timing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIncidentExample } from '@cit/contracts';
import { waitFor } from '@cit/testing';
import { setUpDemoDepartment, setUpSocialJusticeDepartment, type DemoDepartment } from './support/demo-department';
import { startPlatform, type CollectedTopic, type Platform } from './support/platform';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

// Generous: on a machine shared with other test runs a reminder or an SLA sweep can come minutes late.
jest.setTimeout(900_000);

const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 300_000) =>
  waitFor(what, check, { timeoutMs, intervalMs: 400 });

let p: Platform;
let receiver: WebhookReceiver;
let demo: DemoDepartment;
let sju: Awaited<ReturnType<typeof setUpSocialJusticeDepartment>>;
const topics: Record<string, CollectedTopic> = {};
let seq = 0;

beforeAll(async () => {
  const started = Date.now();
  p = await startPlatform();
  receiver = await startWebhookReceiver();
  demo = await setUpDemoDepartment(p, receiver);
  sju = await setUpSocialJusticeDepartment(p);
  for (const agency of Object.values(demo.agencies))
    topics[agency] = await p.collect(`cit.partner.${agency}.referrals.v1`);
  // The department's own referral stream (ids and codes): which referral belongs to which case.
  topics.department = await p.collect('cit.referral.v1', { fromEnd: true });
  await warmUp();
  process.stdout.write(`e2e platform up and seeded in ${Math.round((Date.now() - started) / 1000)} s\n`);
}, 420_000);

afterAll(async () => {
  await receiver?.close();
  if (!p) return;
  // For a failure report: each service's own log, next to the run's other reports.
  if (process.env.E2E_LOG_DIR) {
    mkdirSync(process.env.E2E_LOG_DIR, { recursive: true });
    for (const [name, service] of Object.entries(p.services))
      writeFileSync(join(process.env.E2E_LOG_DIR, `${name}.log`), service.output());
  }
  const codes = await p.stop();
  // Graceful: every service ran its ordered shutdown on SIGTERM.
  expect(Object.values(codes)).toEqual(['SIGTERM', 'SIGTERM', 'SIGTERM', 'SIGTERM', 'SIGTERM']);
}, 120_000);

/**
 * Fresh consumer groups read from the end of their streams; a partition's end is resolved on the
 * group's first fetch. Reports of a throwaway department go through until triage has decided
 * one from every partition of cit.incident.v1, so no scenario event lands before a group's start.
 */
async function warmUp() {
  const dept = `e2e-${p.run}-warmup`;
  const officer = await p.staff(dept, 'officer');
  const clinician = await p.staff(dept, 'clinician');
  for (let round = 0; round < 20; round++) {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await report(officer, { subjects: [] }, `WARM-${round}-${i}`));
    const decided = await until(
      'the warm-up reports to be triaged',
      async () => {
        const n = await Promise.all(
          ids.map(async (id) => (await p.api('triage', 'GET', `/v1/incidents/${id}/decisions`, clinician)).status),
        );
        return n.every((s) => s === 200) ? true : undefined;
      },
      15_000,
    ).catch(() => false);
    if (decided) return;
  }
  throw new Error('triage never consumed the warm-up reports');
}

/** POST /v1/incidents as an officer; the CAD number makes each report distinct unless reused. */
async function report(
  token: string,
  overrides: Record<string, unknown>,
  cad = `CAD-${p.run}-${++seq}`,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await p.api(
    'intake',
    'POST',
    '/v1/incidents',
    token,
    {
      ...createIncidentExample,
      occurredAt: new Date().toISOString(),
      externalIds: { cadCallNumber: cad },
      ...overrides,
    },
    headers,
  );
  if (res.status !== 201 && res.status !== 200) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
async function decisionOf(incidentId: string, token = demo.tokens.clinician): Promise<any> {
  return until(`triage's decision on ${incidentId}`, async () => {
    const r = await p.api('triage', 'GET', `/v1/incidents/${incidentId}/decisions`, token);
    return r.status === 200 && r.body.items.length ? r.body.items[0] : undefined;
  });
}

/** The webhooks an agency received for a referral, of one event type. */
const webhooks = (agency: string, referralId: string, type: string) =>
  receiver.received.filter((w) => w.path === `/${agency}` && w.event?.subject === referralId && w.event?.type === type);

/** The agency's referrals through its pull API (what the partner sees). */
async function partnerReferrals(agency: string) {
  const r = await p.api('referral', 'GET', '/v1/partner/referrals?limit=100', demo.partner[agency]!);
  expect(r.status).toBe(200);
  return r.body.items as Array<Record<string, unknown> & { referralId: string }>;
}

/** The referrals of a case as the department's stream announced them (an agency's own events name no case unless its MOU shares identity). */
const referralsOfCase = (caseId: string) =>
  topics
    .department!.events()
    .filter((e) => e.type === 'cit.referral.requested.v1' && e.data.caseId === caseId)
    .map((e) => ({ referralId: e.subject as string, agencyId: e.data.agencyId as string }));

/** The referral.requested webhook an agency got for a case (found through the department's stream). */
async function requestedFor(agency: string, caseId: string, timeoutMs = 300_000) {
  return until(
    `a referral for case ${caseId} at ${agency}`,
    async () => {
      const ids = referralsOfCase(caseId)
        .filter((r) => r.agencyId === agency)
        .map((r) => r.referralId);
      return receiver.received.find(
        (w) =>
          w.path === `/${agency}` && w.event?.type === 'cit.referral.requested.v1' && ids.includes(w.event?.subject),
      );
    },
    timeoutMs,
  );
}

/** A token that reads the feed of whoever gets a case's reminders: its assignee, else the supervisors' unit. */
async function feedToken(caseId: string) {
  const c = await p.api('triage', 'GET', `/v1/cases/${caseId}`, demo.tokens.coordinator);
  const assignee = (c.body?.assignedTo ?? c.body?.assigneeId ?? null) as string | null;
  return p.staff(demo.id, 'coordinator', { subject: assignee ?? 'coordinator-rivera', districts: ['supervisors'] });
}

async function setStatus(agency: string, referralId: string, body: Record<string, unknown>) {
  const r = await p.api('referral', 'POST', `/v1/partner/referrals/${referralId}/status`, demo.partner[agency]!, body);
  expect({ status: r.status, body: r.body }).toMatchObject({ status: 200 });
  return r.body;
}

describe('scenario 1: a mental-health call flagged by the officer', () => {
  it('is triaged, opens a case, is referred under the MOU, accepted and completed by the partner, and the case closes with its reminders', async () => {
    const { dmh } = demo.agencies;
    const incidentId = await report(demo.tokens.officer, {});
    const decision = await decisionOf(incidentId);
    expect(decision).toMatchObject({ riskLevel: 'urgent', needs: ['mental-health'] });
    expect(decision.pathways).toEqual(expect.arrayContaining(['clinician-outreach', 'partner-referral']));
    const caseId = decision.caseId as string;
    const opened = await p.api('triage', 'GET', `/v1/cases/${caseId}`, demo.tokens.coordinator);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ status: 'open', source: 'triage' });

    // Routed to the DMH provider (open now, best score); its MOU shares indicators, identity only with consent.
    const hook = await requestedFor(dmh, caseId);
    expect(hook.verified).toBe(true);
    expect(hook.headers['webhook-id']).toBeTruthy();
    const referralId = hook.event.subject as string;
    const mous = await p.api('referral', 'GET', '/v1/mous', demo.tokens.admin);
    const mou = mous.body.items.find((m: { agencyId: string }) => m.agencyId === dmh);
    const allowed = Object.entries(
      mou.terms.categories as Record<string, { shared: boolean; consentRequired: boolean }>,
    )
      .filter(([, t]) => t.shared && !t.consentRequired)
      .map(([c]) => c);
    const onTopic = await until('the referral on the agency topic', async () =>
      topics[dmh]!.events().find((e) => e.subject === referralId && e.type === 'cit.referral.requested.v1'),
    );
    for (const event of [hook.event, onTopic]) {
      expect(event.data).toMatchObject({ agencyId: dmh, urgency: 'urgent', attempt: 1 });
      // Identity only with consent under this MOU: not even the person's or the case's id goes.
      expect(event.data.personId).toBeUndefined();
      expect(event.data.caseId).toBeUndefined();
      for (const c of event.data.disclosure?.categories ?? []) expect(allowed).toContain(c);
    }
    const detail = await p.api('referral', 'GET', `/v1/referrals/${referralId}`, demo.tokens.coordinator);
    expect(detail.body.disclosedCategories.every((c: string) => allowed.includes(c))).toBe(true);
    expect(detail.body.disclosedCategories).not.toContain('identity');

    // The partner acknowledges, accepts, works the referral and completes it with an outcome.
    for (const status of ['received', 'accepted', 'in-progress']) await setStatus(dmh, referralId, { status });
    await setStatus(dmh, referralId, { status: 'completed', outcome: 'got-help' });
    const done = await p.api('referral', 'GET', `/v1/referrals/${referralId}`, demo.tokens.coordinator);
    expect(done.body).toMatchObject({ status: 'completed', outcome: 'got-help' });
    await until('the status changes as signed webhooks', async () =>
      webhooks(dmh, referralId, 'cit.referral.status-changed.v1').length >= 4 ? true : undefined,
    );
    expect(webhooks(dmh, referralId, 'cit.referral.status-changed.v1').every((w) => w.verified)).toBe(true);

    // Contact reminders on the cadence (PT0H, PT0H, then weekly): the first two fire into the coordinator's feed.
    const feedFor = async () => {
      const f = await p.api('followup', 'GET', '/v1/feed?limit=100', await feedToken(caseId));
      return (f.body.items as Array<{ caseId?: string; kind: string; reminderId: string; occurrence: number }>).filter(
        (i) => i.caseId === caseId && i.kind === 'case-contact',
      );
    };
    const fired = await until('two contact reminders in the feed', async () => {
      const items = await feedFor();
      return items.length >= 2 ? items : undefined;
    });
    expect(fired.map((i) => i.occurrence).sort()).toEqual([1, 2]);
    const reminder = await p.api('followup', 'GET', `/v1/reminders/${fired[0]!.reminderId}`, demo.tokens.coordinator);
    expect(reminder.body).toMatchObject({ state: 'fired', kind: 'case-contact', caseId });

    // The coordinator logs contacts, then closes the case as connected to long-term services.
    for (const outcome of ['attempted', 'made'])
      expect(
        (
          await p.api('triage', 'POST', `/v1/cases/${caseId}/contacts`, demo.tokens.coordinator, {
            outcome,
            channel: 'phone',
            notes: 'Spoke with Jordan about the DMH intake appointment',
          })
        ).status,
      ).toBe(201);
    const closed = await p.api('triage', 'POST', `/v1/cases/${caseId}/status`, demo.tokens.coordinator, {
      status: 'connected-to-long-term-services',
    });
    expect(closed.status).toBe(200);
    const after = await p.api('triage', 'GET', `/v1/cases/${caseId}`, demo.tokens.coordinator);
    expect(after.body.status).toBe('connected-to-long-term-services');
    expect(after.body.contacts ?? after.body.outreach ?? []).toHaveLength(2);

    // Every reminder still pending for the case is cancelled; none fires after the close.
    const pending = await until('the remaining reminders to be cancelled', async () => {
      const rows = await p.sql<{ state: string }>(
        'followup',
        `SELECT state FROM reminder WHERE case_id = $1 AND kind = 'case-contact'`,
        [caseId],
      );
      return rows.length > 0 && rows.every((r) => r.state !== 'scheduled') ? rows : undefined;
    });
    expect(
      pending.filter((r) => r.state === 'cancelled').length + pending.filter((r) => r.state === 'superseded').length,
    ).toBeGreaterThan(0);
    expect(pending.filter((r) => r.state === 'fired')).toHaveLength(2);
    for (const service of Object.values(p.services)) expect(service.output()).not.toMatch(/Jordan|617-555-0142/);
  });
});

describe('scenario 2: an imminent-risk call after hours', () => {
  it('asks the mobile crisis team at once under 164.512(j); unacknowledged, the SLA re-routes to the next team', async () => {
    const { mobileCrisis, esp } = demo.agencies;
    const incidentId = await report(demo.tokens.officer, {
      callType: 'suicide-threat',
      narrative: 'Caller says her brother has a knife and is threatening to end his life.',
      behavioralHealth: {
        relatedTo: 'mental-health',
        observations: ['suicidal-statements', 'weapon-present'],
        suspectedUsing: ['N'],
      },
      subjects: [{ name: 'Casey Northwood', dateOfBirth: '1979-02-03', phone: '617-555-0177', language: 'en' }],
    });
    const decision = await decisionOf(incidentId);
    expect(decision).toMatchObject({ riskLevel: 'imminent' });
    expect(decision.pathways[0]).toBe('mobile-crisis-now');
    const caseId = decision.caseId as string;

    // No staffed hours: only the after-hours teams are candidates; the best one is asked at once.
    const first = await requestedFor(mobileCrisis, caseId);
    expect(first.verified).toBe(true);
    expect(first.event.data).toMatchObject({
      urgency: 'emergent',
      legalBasis: 'hipaa-164.512(j)-serious-imminent-threat',
      attempt: 1,
    });
    const firstId = first.event.subject as string;
    const detail = await p.api('referral', 'GET', `/v1/referrals/${firstId}`, demo.tokens.coordinator);
    expect(detail.body.legalBasis).toBe('hipaa-164.512(j)-serious-imminent-threat');
    // Only the after-hours mobile crisis programs are asked about; the best one first.
    expect(detail.body.ranking.candidates.map((c: { agencyId: string }) => c.agencyId)).toEqual([mobileCrisis, esp]);

    // The team neither receives nor accepts within the one-minute SLA: the referral moves to the ESP.
    const second = await until(
      'the SLA re-route to the next team',
      async () =>
        receiver.received.find(
          (w) =>
            w.path === `/${esp}` &&
            w.event?.type === 'cit.referral.requested.v1' &&
            w.event?.data?.reroutedFrom === firstId,
        ),
      480_000,
    );
    // The next team acknowledges at once (its own one-minute SLA runs from now).
    const secondId = second.event.subject as string;
    await setStatus(esp, secondId, { status: 'received' });
    await setStatus(esp, secondId, { status: 'accepted' });
    expect(second.verified).toBe(true);
    expect(second.event.data).toMatchObject({
      caseId,
      attempt: 2,
      urgency: 'emergent',
      legalBasis: 'hipaa-164.512(j)-serious-imminent-threat',
    });
    const cancelled = await p.api('referral', 'GET', `/v1/referrals/${firstId}`, demo.tokens.coordinator);
    expect(cancelled.body.status).toBe('cancelled');
    expect(JSON.stringify(cancelled.body)).toMatch(/sla-not-(received|accepted)/);
    // The first team learns it was withdrawn, on its own channels.
    await until('the withdrawal on the first team topic', async () =>
      topics[mobileCrisis]!.events().find(
        (e) => e.subject === firstId && e.type === 'cit.referral.status-changed.v1' && e.data.to === 'cancelled',
      ),
    );
    // Acknowledged in time: no further re-route.
    const accepted = await p.api('referral', 'GET', `/v1/referrals/${secondId}`, demo.tokens.coordinator);
    expect(accepted.body).toMatchObject({ status: 'accepted', agencyId: esp });
  });
});

describe('scenario 3: a call the officer did not flag', () => {
  it('is caught by the review queue, re-flagged after dispatch, and triaged again', async () => {
    const incidentId = await report(demo.tokens.officer, {
      callType: 'disturbance',
      narrative: 'Neighbor reports the man in 4B is off his meds and hearing voices, shouting in the hallway.',
      behavioralHealth: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
      subjects: [{ name: 'Morgan Ellery', dateOfBirth: '1988-09-09', language: 'en' }],
    });
    const first = await decisionOf(incidentId);
    expect(first.riskLevel).toBe('none');

    const item = await until('the review item', async () => {
      const q = await p.api('intake', 'GET', '/v1/review-queue?limit=100', demo.tokens.clinician);
      return (q.body.items as Array<{ id: string; incidentId: string }>).find((i) => i.incidentId === incidentId);
    });
    const accepted = await p.api('intake', 'POST', `/v1/review-queue/${item.id}/accept`, demo.tokens.clinician, {
      relatedTo: 'mental-health',
      observations: ['trauma'],
      reason: 'Narrative describes psychotic symptoms; clinician confirmed.',
    });
    expect(accepted.status).toBe(200);
    const incident = await p.api('intake', 'GET', `/v1/incidents/${incidentId}`, demo.tokens.clinician);
    expect(incident.body.behavioralHealth).toMatchObject({ relatedTo: 'mental-health', observations: ['trauma'] });

    const decisions = await until('the superseding decision', async () => {
      const r = await p.api('triage', 'GET', `/v1/incidents/${incidentId}/decisions`, demo.tokens.clinician);
      return r.body.items.length === 2 ? r.body.items : undefined;
    });
    const latest = decisions.find((d: { supersedes: string | null }) => d.supersedes === first.id);
    expect(latest).toMatchObject({ riskLevel: 'routine', needs: expect.arrayContaining(['mental-health']) });
    expect(latest.pathways).toContain('clinician-outreach');
    expect(decisions.find((d: { id: string }) => d.id === first.id).supersededBy).toBe(latest.id);
    expect(latest.caseId).toBeTruthy();
  });
});

describe('scenario 4: a person with three incidents in thirty days', () => {
  it('is nominated to the HUB table de-identified, found acutely elevated, identified only to the selected agencies, and the action items come due', async () => {
    const { mobileCrisis, dmh, shelter } = demo.agencies;
    const NAME = 'Riley Ashgrove';
    const person = { name: NAME, dateOfBirth: '1969-11-30', phone: '617-555-0123', language: 'en' };
    const coding = { relatedTo: 'mental-health', observations: ['trauma'], suspectedUsing: ['N'] };
    const incidents: string[] = [];
    for (let i = 0; i < 3; i++) {
      incidents.push(
        await report(demo.tokens.officer, {
          callType: 'welfare-check',
          narrative: 'Found sleeping in the stairwell again, confused and distressed.',
          behavioralHealth: coding,
          subjects: [person],
        }),
      );
      // Each report is triaged before the next, so the third is the one that meets the rule.
      await decisionOf(incidents[i]!);
    }
    const third = await decisionOf(incidents[2]!);
    expect(third.pathways).toContain('case-conference-nomination');
    const personId = third.personId as string;

    // Triage's request becomes an open nomination, placed on the next session of the HUB table.
    const nomination = await until('the nomination', async () => {
      const r = await p.api('conference', 'GET', `/v1/nominations?personId=${personId}`, demo.tokens.coordinator);
      return r.body.items?.[0];
    });
    expect(nomination).toMatchObject({ source: 'triage', status: 'open' });
    const nominationId = nomination.nominationId as string;
    const sessions = await p.api(
      'conference',
      'GET',
      `/v1/series/${demo.hubSeriesId}/sessions`,
      demo.tokens.coordinator,
    );
    expect(sessions.status).toBe(200);
    const sessionIds = (sessions.body.items as Array<{ id: string }>).map((s) => s.id);
    let lastAgenda: unknown;
    const sessionId = await until('the case on an agenda', async () => {
      for (const id of sessionIds.slice(0, 3)) {
        const agenda = await p.api('conference', 'GET', `/v1/sessions/${id}/agenda`, demo.tokens.coordinator);
        lastAgenda = { sessions: sessions.body, agenda: agenda.body };
        if (JSON.stringify(agenda.body).includes(nominationId)) return id;
      }
      return undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; nomination ${JSON.stringify(nomination)}; last ${JSON.stringify(lastAgenda)}`);
    });
    expect(sessionId).toBe(sessionIds[0]);

    const partnerView = async (agency: string) => {
      const nom = await p.api('conference', 'GET', `/v1/partner/nominations/${nominationId}`, demo.partner[agency]!);
      const agenda = await p.api('conference', 'GET', `/v1/sessions/${sessionId}/agenda`, demo.partner[agency]!);
      return { nom, agenda, text: JSON.stringify([nom.body, agenda.body]) };
    };
    // Filter 1: the table sees the case de-identified.
    for (const agency of [mobileCrisis, dmh, shelter]) {
      const seen = await partnerView(agency);
      expect(seen.nom.status).toBe(200);
      expect(seen.nom.body.level).toBe('de-identified');
      expect(seen.text).not.toContain(NAME);
      expect(seen.text).not.toContain('1969-11-30');
    }

    // Filter 2: acutely elevated; identity to the mobile crisis team and the DMH provider only.
    const decided = await p.api(
      'conference',
      'POST',
      `/v1/sessions/${sessionId}/cases/${nominationId}/risk-decision`,
      demo.tokens.coordinator,
      { acutelyElevated: true, selectedAgencyIds: [mobileCrisis, dmh] },
    );
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ privacyStage: 'limited-identity', disclosedTo: [mobileCrisis, dmh] });
    for (const agency of [mobileCrisis, dmh]) {
      const seen = await partnerView(agency);
      expect(seen.nom.body).toMatchObject({ level: 'limited-identity', identity: { name: NAME } });
    }
    const notSelected = await partnerView(shelter);
    expect(notSelected.nom.body.level).toBe('de-identified');
    expect(notSelected.text).not.toContain(NAME);
    expect(notSelected.text).not.toContain('1969-11-30');

    // The agencies' reminders reach them on their own webhook endpoint (Standard Webhooks too).
    const secret = `whsec_${Buffer.from(`e2e-${p.run}-action-items-secret`).toString('base64')}`;
    const endpoint = await p.api('followup', 'POST', '/v1/notification-endpoints', demo.tokens.admin, {
      channel: 'webhook',
      target: { type: 'agency', id: mobileCrisis },
      url: receiver.url(`/reminders/${mobileCrisis}`),
      secret,
    });
    expect(endpoint.status).toBe(201);
    receiver.secret(`/reminders/${mobileCrisis}`, secret);

    // Outcome: the mobile crisis team leads, DMH assists; two action items due shortly.
    const due = (s: number) => new Date(Date.now() + s * 1000).toISOString();
    const outcome = await p.api(
      'conference',
      'POST',
      `/v1/sessions/${sessionId}/cases/${nominationId}/outcome`,
      demo.tokens.coordinator,
      {
        status: 'carry-over',
        leadAgencyId: mobileCrisis,
        assistingAgencyIds: [dmh],
        actionItems: [
          { ownerAgencyId: mobileCrisis, kind: 'home-visit', description: `Home visit with ${NAME}`, dueAt: due(20) },
          { ownerAgencyId: dmh, kind: 'service-connection', description: 'Intake appointment', dueAt: due(25) },
        ],
      },
    );
    expect({ status: outcome.status, body: outcome.body }).toMatchObject({ status: 201 });
    const outcomes = await p.api(
      'conference',
      'GET',
      `/v1/nominations/${nominationId}/outcomes`,
      demo.tokens.coordinator,
    );
    expect(outcomes.status).toBe(200);
    expect(JSON.stringify(outcomes.body)).toContain(mobileCrisis);

    const fired = await until('the lead agency action-item reminder', async () =>
      receiver.received.find(
        (w) =>
          w.path === `/reminders/${mobileCrisis}` &&
          w.event?.kind === 'action-item' &&
          w.event?.type === 'reminder-due',
      ),
    );
    expect(fired.verified).toBe(true);
    expect(fired.body).not.toContain(NAME);
    const reminder = await p.api('followup', 'GET', `/v1/reminders/${fired.event.reminderId}`, demo.tokens.coordinator);
    expect(reminder.body).toMatchObject({
      state: 'fired',
      kind: 'action-item',
      target: { type: 'agency', id: mobileCrisis },
    });
    const other = await until('the assisting agency action-item reminder', async () => {
      const rows = await p.sql<{ state: string }>(
        'followup',
        `SELECT state FROM reminder WHERE kind = 'action-item' AND target_id = $1 AND department_id = $2`,
        [dmh, demo.id],
      );
      return rows.length && rows.every((r) => r.state === 'fired') ? rows : undefined;
    });
    expect(other).toHaveLength(1);
  });
});

describe('scenario 5: an agency rejects', () => {
  it('goes to the next candidate, and when every candidate has declined the supervisor is alerted', async () => {
    const { shelter, housing } = demo.agencies;
    const incidentId = await report(demo.tokens.officer, {
      callType: 'trespassing',
      narrative: 'Sleeping in the bank vestibule; asked for a place to stay tonight.',
      behavioralHealth: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
      subjects: [
        {
          name: 'Avery Lindqvist',
          dateOfBirth: '1975-05-17',
          language: 'en',
          flags: { experiencingHomelessness: true },
        },
      ],
    });
    const decision = await decisionOf(incidentId);
    expect(decision.needs).toEqual(['housing']);
    const caseId = decision.caseId as string;

    // Best candidate first (the shelter has the most room); it has none tonight after all.
    const first = await requestedFor(shelter, caseId);
    const firstId = first.event.subject as string;
    await setStatus(shelter, firstId, { status: 'received' });
    await setStatus(shelter, firstId, { status: 'rejected', reasonCode: 'no-capacity' });

    const second = await until('the re-route to the housing program', async () =>
      receiver.received.find(
        (w) =>
          w.path === `/${housing}` &&
          w.event?.type === 'cit.referral.requested.v1' &&
          w.event?.data?.reroutedFrom === firstId,
      ),
    );
    expect(second.verified).toBe(true);
    // Attempt 2 at the housing program; its MOU shares identity only with consent, so no case id either.
    expect(second.event.data).toMatchObject({ attempt: 2, agencyId: housing });
    expect(second.event.data.caseId).toBeUndefined();
    const secondId = second.event.subject as string;
    expect((await partnerReferrals(housing)).map((r) => r.referralId)).toContain(secondId);
    expect((await partnerReferrals(shelter)).map((r) => r.referralId)).not.toContain(secondId);

    await setStatus(housing, secondId, { status: 'rejected', reasonCode: 'not-eligible' });
    const alert = await until('the supervisor alert', async () => {
      const a = await p.api('referral', 'GET', '/v1/alerts', demo.tokens.supervisor);
      return (a.body.items as Array<{ kind: string; referralId: string | null; audience: string }>).find(
        (i) => i.kind === 'no-candidate' && i.referralId === secondId,
      );
    });
    expect(alert.audience).toBe('supervisor');
    // No third agency was asked (the stream may deliver the second referral after the alert was read).
    await until('both referrals on the department stream', async () =>
      referralsOfCase(caseId).length >= 2 ? true : undefined,
    );
    expect(referralsOfCase(caseId).map((r) => r.agencyId)).toEqual([shelter, housing]);
  });
});

describe('scenario 6: the same incident twice and an event delivered twice', () => {
  it('leaves one incident, one referral and one set of reminders', async () => {
    const { dmh } = demo.agencies;
    const key = `idem-${p.run}-6`;
    const body = {
      externalIds: {},
      subjects: [
        {
          name: 'Quinn Halvorsen',
          dateOfBirth: '1993-03-21',
          phone: '617-555-0166',
          language: 'en',
          flags: { veteran: true },
        },
      ],
    };
    const post = () =>
      p.api(
        'intake',
        'POST',
        '/v1/incidents',
        demo.tokens.officer,
        { ...createIncidentExample, occurredAt: '2026-12-01T22:10:00Z', ...body },
        { 'idempotency-key': key },
      );
    const once = await post();
    const twice = await post();
    expect(once.status).toBe(201);
    expect([200, 201]).toContain(twice.status);
    expect(twice.body.id).toBe(once.body.id);
    const incidentId = once.body.id as string;
    const listed = await p.api('intake', 'GET', '/v1/incidents?limit=100', demo.tokens.clinician);
    expect((listed.body.items as Array<{ id: string }>).filter((i) => i.id === incidentId)).toHaveLength(1);

    const decision = await decisionOf(incidentId);
    const caseId = decision.caseId as string;
    await requestedFor(dmh, caseId);
    await until('the case reminders', async () => {
      const rows = await p.sql('followup', `SELECT 1 FROM reminder WHERE case_id = $1`, [caseId]);
      return rows.length >= 3 ? true : undefined;
    });

    // Deliver the events of the flow a second time, exactly as their relays published them.
    const again = async (service: 'intake' | 'triage', type: string, subject: string) => {
      const [row] = await p.sql<{ payload: unknown; message_key: string; topic: string }>(
        service,
        `SELECT payload, message_key, topic FROM outbox WHERE event_type = $1 AND message_key = $2`,
        [type, subject],
      );
      expect(row).toBeDefined();
      const value = typeof row!.payload === 'string' ? row!.payload : JSON.stringify(row!.payload);
      return { topic: row!.topic, ...(await p.sendAt(row!.topic, row!.message_key, value)) };
    };
    const redelivered = [
      {
        consumers: ['triage', 'conference'] as const,
        at: await again('intake', 'cit.incident.reported.v1', incidentId),
      },
      { consumers: ['referral'] as const, at: await again('triage', 'cit.triage.completed.v1', incidentId) },
      { consumers: ['followup', 'referral'] as const, at: await again('triage', 'cit.case.opened.v1', caseId) },
    ];
    for (const { consumers, at } of redelivered)
      for (const service of consumers)
        await until(`${service} to handle the second delivery on ${at.topic}`, () =>
          p.committedPast(service, at.topic, at.partition, at.offset),
        );

    const decisions = await p.api('triage', 'GET', `/v1/incidents/${incidentId}/decisions`, demo.tokens.clinician);
    expect(decisions.body.items).toHaveLength(1);
    const referrals = referralsOfCase(caseId);
    expect(referrals).toHaveLength(1);
    const pulled = (await partnerReferrals(dmh)).filter((r) => r.referralId === referrals[0]!.referralId);
    expect(pulled).toHaveLength(1);
    expect(
      receiver.received.filter(
        (w) => w.event?.type === 'cit.referral.requested.v1' && w.event?.subject === referrals[0]!.referralId,
      ),
    ).toHaveLength(1);
    const reminders = await p.sql<{ occurrence: number; state: string }>(
      'followup',
      `SELECT occurrence, state FROM reminder WHERE case_id = $1 AND kind = 'case-contact' ORDER BY occurrence`,
      [caseId],
    );
    expect(reminders.map((r) => r.occurrence)).toEqual([1, 2, 3]);
    const feed = await p.api('followup', 'GET', '/v1/feed?limit=100', await feedToken(caseId));
    expect((feed.body.items as Array<{ caseId?: string }>).filter((i) => i.caseId === caseId)).toHaveLength(2);
  });
});

describe('scenario 7: a Social Justice Unit department', () => {
  it('a supervisor assigns the case to the seniors sector, and nothing of it is visible to the first department', async () => {
    const NAME = 'Eleanor Vasquez-Brandt';
    const incidentId = await report(sju.tokens.officer, {
      callType: 'welfare-check',
      narrative: 'Elderly woman wandering, disoriented, says her late husband is waiting.',
      behavioralHealth: { relatedTo: 'mental-health', observations: ['trauma'], suspectedUsing: ['N'] },
      subjects: [{ name: NAME, dateOfBirth: '1941-08-14', language: 'en', flags: { senior: true } }],
    });
    const decision = await decisionOf(incidentId, sju.tokens.supervisor);
    const item = await until('the decision in the supervisor review queue', async () => {
      const q = await p.api('triage', 'GET', '/v1/review-queue?limit=100', sju.tokens.supervisor);
      return JSON.stringify(q.body).includes(decision.id) ? true : undefined;
    });
    expect(item).toBe(true);
    const assigned = await p.api('triage', 'POST', `/v1/decisions/${decision.id}/assign`, sju.tokens.supervisor, {
      sector: 'seniors',
    });
    expect({ status: assigned.status, body: assigned.body }).toMatchObject({ status: 200 });
    const after = await until('the assignment', async () => {
      const r = await p.api('triage', 'GET', `/v1/decisions/${decision.id}`, sju.tokens.supervisor);
      return r.body?.sector === 'seniors' ? r.body : undefined;
    });
    const caseId = (after.caseId ?? decision.caseId) as string;
    const q = await p.api('triage', 'GET', '/v1/review-queue?limit=100', sju.tokens.supervisor);
    expect(JSON.stringify(q.body)).not.toContain(decision.id);

    // The first department, with each of its staff roles and partners, sees none of it.
    const { tokens } = demo;
    const probes: Array<[Parameters<Platform['api']>[0], string, string]> = [
      ['intake', `/v1/incidents/${incidentId}`, tokens.clinician],
      ['intake', `/v1/incidents?limit=100`, tokens.clinician],
      ['intake', `/v1/review-queue?limit=100`, tokens.supervisor],
      ['triage', `/v1/incidents/${incidentId}/decisions`, tokens.clinician],
      ['triage', `/v1/decisions/${decision.id}`, tokens.supervisor],
      ['triage', `/v1/review-queue?limit=100`, tokens.supervisor],
      ['triage', `/v1/triage-queue?limit=100`, tokens.coordinator],
      ['triage', `/v1/cases?limit=100`, tokens.coordinator],
      ['followup', `/v1/feed?limit=100`, tokens.coordinator],
      ['referral', `/v1/alerts`, tokens.supervisor],
      ['conference', `/v1/nominations?limit=100`, tokens.coordinator],
    ];
    if (caseId) probes.push(['triage', `/v1/cases/${caseId}`, tokens.coordinator]);
    if (decision.personId) probes.push(['intake', `/v1/persons/${decision.personId}/incidents`, tokens.clinician]);
    for (const [service, path, token] of probes) {
      const r = await p.api(service, 'GET', path, token);
      expect({ path, status: r.status }).toEqual({ path, status: expect.any(Number) });
      expect([200, 403, 404]).toContain(r.status);
      // A 404's problem body names the path asked for (instance): what it must not hold is the data.
      const { instance: _asked, ...answer } = (r.body ?? {}) as Record<string, unknown>;
      const text = JSON.stringify(answer);
      for (const secret of [incidentId, decision.id, NAME, caseId ?? '-none-']) expect(text).not.toContain(secret);
    }
    for (const agency of Object.values(demo.agencies))
      expect(JSON.stringify(await partnerReferrals(agency))).not.toContain(incidentId);
  });
});
