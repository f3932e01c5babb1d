/**
 * The referral loop on the real PostgreSQL, Redis and broker: routing with stored scores, legal
 * basis and minimum necessary per recipient on all three channels (agency topic, signed
 * webhooks verified with the standardwebhooks package, pull API), partner isolation, the FHIR
 * Task lifecycle with 409s listing the allowed statuses, re-routing on rejection and SLA
 * breach, the supervisor alert when no candidate is left, and the accounting of disclosures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '@cit/contracts';
import { FieldCipher } from '@cit/persistence';
import { waitFor } from '@cit/testing';
import Ajv from 'ajv';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
import { Webhook } from 'standardwebhooks';
import { stableUuid } from '../directory/hsds-mapping';
import { SlaSweepService } from '../sla/sla-sweep/sla-sweep.service';
import { ALWAYS, apiFor, directoryDocument, type Api } from '../testing/fixtures';
import { startReferralTestApp, type ReferralTestApp } from '../testing/referral-test-app';
import { startWebhookReceiver } from '../testing/webhook-receiver';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

const SUBSTANCE = 'uses fentanyl daily, last use 2 h ago';
const NARRATIVE = 'found on the bridge, said he wanted to end it';

describe('referral loop', () => {
  let t: ReferralTestApp;
  let api: Api;
  let receiver: Receiver;
  let admin: string;
  let coordinator: string;
  let A: string; // mobile crisis: ESP template (treatment), after hours, lessens imminent threat
  let B: string; // community clinic: community-organization template (identity and contact need consent, no narrative)
  let C: string; // housing: no MOU
  const tokens: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.db.ownerDataSource.query(text, params) as Promise<T[]>;

  beforeAll(async () => {
    t = await startReferralTestApp('referral_flow', { consume: true });
    api = apiFor(t.url);
    receiver = await startWebhookReceiver();
    admin = await t.token('admin');
    coordinator = await t.token('coordinator');
    [A, B, C] = [`mc-${t.run}`, `cl-${t.run}`, `hs-${t.run}`];
    const doc = directoryDocument([
      {
        id: A,
        name: 'Mobile Crisis',
        service: {
          key: 's',
          name: 'MCI',
          kind: 'mobile-crisis',
          needs: ['mental-health', 'substance-use'],
          languages: ['en', 'es'],
          hours: ALWAYS,
          afterHours: true,
          lessensImminentThreat: true,
          available: 3,
          maximum: 5,
        },
      },
      {
        id: B,
        name: 'Clinic',
        service: {
          key: 's',
          name: 'Clinic',
          kind: 'dmh-community-provider',
          needs: ['mental-health'],
          languages: ['en', 'es'],
          hours: ALWAYS,
          available: 4,
          maximum: 10,
        },
      },
      {
        id: C,
        name: 'Housing',
        service: {
          key: 's',
          name: 'Housing',
          kind: 'housing',
          needs: ['housing', 'mental-health'],
          languages: ['es'],
          hours: ALWAYS,
          available: 9,
          maximum: 9,
        },
      },
    ]);
    expect((await api('POST', '/v1/directory/hsds', admin, doc)).status).toBe(200);
    expect(
      (await api('PUT', '/v1/referral-settings', admin, { timezone: 'UTC', routingMode: 'single', maxAgencies: 1 }))
        .status,
    ).toBe(200);
    const day = (o: number) => new Date(Date.now() + o * 86_400_000).toISOString().slice(0, 10);
    for (const [agency, template] of [
      [A, 'emergency-service-provider'],
      [B, 'community-organization'],
    ] as const)
      expect(
        (
          await api('PUT', `/v1/mous/mou-${agency}`, admin, {
            agencyId: agency,
            template,
            effectiveFrom: day(-30),
            expiresOn: day(300),
            documentRef: `mous/${agency}.pdf`,
          })
        ).status,
      ).toBe(200);
    for (const agency of [A, B, C]) {
      tokens[agency] = await t.partnerToken(agency);
      const reg = await api('PUT', '/v1/partner/webhook', tokens[agency]!, { url: receiver.url(`/${agency}`) });
      expect(reg.status).toBe(200);
      expect(reg.body.secret).toMatch(/^whsec_/);
      secrets[agency] = reg.body.secret;
    }
  }, 180000);

  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  const webhooksFor = (agency: string, referralId: string, type: string) =>
    receiver.received.filter(
      (r) => r.path === `/${agency}` && JSON.parse(r.body).subject === referralId && JSON.parse(r.body).type === type,
    );

  async function refer(body: Record<string, unknown>) {
    const res = await api('POST', '/v1/referrals', coordinator, body);
    expect(res.status).toBe(201);
    return res.body as { requestId: string; noCandidate: boolean; referrals: { id: string; agencyId: string }[] };
  }

  it('routes to the best candidate, stores every score part and exclusion, and shares only what the MOU and basis allow, on every channel', async () => {
    const personId = newId('per');
    const topicA = await t.collect(`cit.partner.${A}.referrals.v1`);
    const topicB = await t.collect(`cit.partner.${B}.referrals.v1`);
    const created = await refer({
      personId,
      needs: ['mental-health'],
      urgency: 'urgent',
      riskLevel: 'urgent',
      language: 'es',
      ageRange: 'adult',
      packet: { name: 'Juan Pérez', phone: '+1-617-555-0199', narrative: NARRATIVE, substanceUse: SUBSTANCE },
    });
    expect(created.referrals).toHaveLength(1);
    const ref = created.referrals[0]!;
    expect(ref.agencyId).toBe(A);

    const detail = (await api('GET', `/v1/referrals/${ref.id}`, coordinator)).body;
    expect(detail.ranking.candidates.map((c: { agencyId: string }) => c.agencyId)).toEqual([A, B]);
    const parts = detail.score.parts.map((p: { name: string }) => p.name);
    expect(parts).toEqual(expect.arrayContaining(['needs', 'capacity', 'area', 'open-now', 'language', 'after-hours']));
    expect(detail.score.score).toBe(detail.score.parts.reduce((s: number, p: { points: number }) => s + p.points, 0));
    expect(detail.ranking.excluded).toEqual([expect.objectContaining({ agencyId: C, reasons: ['no-active-mou'] })]);
    // ESP MOU, treatment relationship, no consent: everything but substance use (42 CFR Part 2).
    expect(detail.legalBasis).toBe('treatment');
    expect(detail.disclosedCategories).toEqual(['identity', 'contact', 'narrative', 'indicators']);
    expect(detail.hipaaChecklist.part2).toEqual({
      substanceUseHeld: true,
      consentCoversSubstanceUse: false,
      redisclosureNotice: false,
    });

    // Pull: A sees its referral with the allowed fields, never the substance-use details.
    const pullA = await api('GET', '/v1/partner/referrals', tokens[A]!);
    expect(pullA.status).toBe(200);
    const seen = pullA.body.items.find((i: { referralId: string }) => i.referralId === ref.id);
    expect(seen.disclosed).toMatchObject({
      name: 'Juan Pérez',
      phone: '+1-617-555-0199',
      narrative: NARRATIVE,
      personId,
    });
    expect(JSON.stringify(pullA.body)).not.toContain('fentanyl');
    expect(seen.disclosed.substanceUse).toBeUndefined();
    // Another partner neither lists nor opens it.
    expect((await api('GET', '/v1/partner/referrals', tokens[B]!)).body.items).toEqual([]);
    expect((await api('GET', `/v1/partner/referrals/${ref.id}`, tokens[B]!)).status).toBe(404);
    expect(
      (await api('POST', `/v1/partner/referrals/${ref.id}/status`, tokens[B]!, { status: 'received' })).status,
    ).toBe(404);

    // Agency topic: the minimum-necessary event, PHI as tokens under A's own delivery key.
    const key = (await api('GET', '/v1/partner/delivery-key', tokens[A]!)).body;
    const agencyCipher = FieldCipher.fromConfig({
      keys: new Map([[key.keyId, Buffer.from(key.key, 'base64')]]),
      activeKeyId: key.keyId,
    });
    const onTopic = await waitFor('the referral on the agency topic', () =>
      topicA.messages
        .map((m) => JSON.parse(m.value))
        .find((e) => e.subject === ref.id && e.type === 'cit.referral.requested.v1'),
    );
    expect(onTopic.data.disclosure.fields.sort()).toEqual(
      ['ageRange', 'language', 'name', 'narrative', 'personId', 'phone', 'riskLevel'].sort(),
    );
    expect(agencyCipher.decrypt(onTopic.data.disclosure.values.name, `referral.name:${ref.id}`)).toBe('Juan Pérez');
    expect(onTopic.data.disclosure.values.substanceUse).toBeUndefined();
    expect(JSON.stringify(onTopic)).not.toContain('Juan');
    // The department stream carries ids and codes only.
    const stream = await sql<{ topic: string; payload: { data: Record<string, unknown> } }>(
      `SELECT topic, payload FROM outbox WHERE message_key = $1 AND event_type = 'cit.referral.requested.v1' ORDER BY seq`,
      [ref.id],
    );
    // Both written by one statement: their relative order is not defined, and need not be (two topics).
    expect(stream.map((s) => s.topic).sort()).toEqual([`cit.partner.${A}.referrals.v1`, 'cit.referral.v1']);
    expect(stream.find((s) => s.topic === 'cit.referral.v1')!.payload.data.disclosure).toBeUndefined();

    // Webhook: Standard Webhooks signature verified with the standardwebhooks package.
    const hook = await waitFor('the webhook delivery', () => webhooksFor(A, ref.id, 'cit.referral.requested.v1')[0]);
    const verified = new Webhook(secrets[A]!).verify(hook.body, hook.headers as Record<string, string>) as {
      data: { disclosure: { fields: string[] } };
    };
    expect(verified.data.disclosure.fields).not.toContain('substanceUse');
    expect(() => new Webhook(secrets[B]!).verify(hook.body, hook.headers as Record<string, string>)).toThrow();
    expect(() =>
      new Webhook(secrets[A]!).verify(hook.body.replace('urgent', 'routine'), hook.headers as Record<string, string>),
    ).toThrow();
    const attempts = (await api('GET', `/v1/webhook-deliveries?agencyId=${A}`, coordinator)).body.items;
    expect(attempts.find((d: { referralId: string }) => d.referralId === ref.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
    expect((await api('GET', '/v1/partner/webhook-deliveries', tokens[B]!)).body.items).toEqual([]);
    // Nothing reached B on any channel.
    await new Promise((r) => setTimeout(r, 1000));
    expect(topicB.messages).toEqual([]);
    expect(receiver.received.filter((r) => r.path === `/${B}`)).toEqual([]);

    // Accounting of disclosures: who got which fields, when, on which basis.
    const acc = await api('GET', `/v1/persons/${personId}/disclosures`, coordinator);
    expect(acc.body.items).toEqual([
      expect.objectContaining({
        referralId: ref.id,
        agencyId: A,
        legalBasis: 'treatment',
        part2Notice: false,
        fields: expect.not.arrayContaining(['substanceUse']),
      }),
    ]);
  });

  it('discloses substance-use details only with consent, always with the redisclosure notice; a partner whose MOU excludes narrative never sees it', async () => {
    const personId = newId('per');
    const consent = await api('POST', `/v1/persons/${personId}/consents`, coordinator, {
      categories: ['substance-use', 'identity'],
      agencyIds: [A],
    });
    expect(consent.status).toBe(201);
    const created = await refer({
      personId,
      needs: ['mental-health', 'substance-use'],
      urgency: 'urgent',
      riskLevel: 'urgent',
      ageRange: 'adult',
      packet: { name: 'Ana Lima', narrative: NARRATIVE, substanceUse: SUBSTANCE },
    });
    const ref = created.referrals[0]!;
    expect(ref.agencyId).toBe(A);
    const pull = (await api('GET', `/v1/partner/referrals/${ref.id}`, tokens[A]!)).body;
    expect(pull.disclosed.substanceUse).toBe(SUBSTANCE);
    expect(pull.redisclosureNotice).toMatch(/42 CFR part 2/);
    expect(pull.legalBasis).toBe('consent');
    const hook = await waitFor('the webhook', () => webhooksFor(A, ref.id, 'cit.referral.requested.v1')[0]);
    const event = new Webhook(secrets[A]!).verify(hook.body, hook.headers as Record<string, string>) as {
      data: { disclosure: Record<string, unknown> };
    };
    expect(event.data.disclosure).toMatchObject({
      part2Notice: true,
      redisclosureNotice: expect.stringMatching(/42 CFR part 2/),
    });
    const fhir = (await api('GET', `/v1/referrals/${ref.id}/fhir`, coordinator)).body;
    expect(fhir.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual([
      'ServiceRequest',
      'Task',
      'Consent',
    ]);

    // The coordinator chooses B instead: B's MOU needs consent for identity and never shares narrative.
    const moved = await api('POST', `/v1/referrals/${ref.id}/reassign`, coordinator, { agencyId: B });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ agencyId: B, chosenBy: 'coordinator', reroutedFrom: ref.id, attempt: 2 });
    expect(moved.body.disclosedCategories).toEqual(['indicators']);
    const pullB = (await api('GET', `/v1/partner/referrals/${moved.body.id}`, tokens[B]!)).body;
    expect(Object.keys(pullB.disclosed).sort()).toEqual(['ageRange', 'riskLevel']);
    expect(pullB.needs).toEqual(['mental-health']);
    expect(JSON.stringify(pullB)).not.toMatch(/Ana|bridge|fentanyl|substance/);
    const hookB = await waitFor(
      'the webhook to B',
      () => webhooksFor(B, moved.body.id, 'cit.referral.requested.v1')[0],
    );
    expect(hookB.body).not.toMatch(/narrative|substanceUse|personId|substance-use/);
    expect((await api('GET', `/v1/referrals/${ref.id}`, coordinator)).body).toMatchObject({
      status: 'cancelled',
      reasonCode: 'rerouted',
      reroutedTo: moved.body.id,
    });
    // Choosing an agency that is not a candidate changes nothing.
    const before = await sql('SELECT count(*) FROM referral');
    const bad = await api('POST', `/v1/referrals/${moved.body.id}/reassign`, coordinator, { agencyId: C });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toContain('no-active-mou');
    expect(await sql('SELECT count(*) FROM referral')).toEqual(before);

    const acc = (await api('GET', `/v1/persons/${personId}/disclosures`, coordinator)).body.items;
    expect(
      acc
        .map((d: { agencyId: string; part2Notice: boolean; legalBasis: string }) => [
          d.agencyId,
          d.legalBasis,
          d.part2Notice,
        ])
        .sort(),
    ).toEqual(
      [
        [A, 'consent', true],
        [B, 'none', false],
      ].sort(),
    );
  });

  it('runs the FHIR Task lifecycle: partner transitions, 409 listing the allowed ones, outcome on completion, a valid FHIR R4 bundle', async () => {
    const ref = (await refer({ needs: ['mental-health'], urgency: 'routine', riskLevel: 'routine', agencyId: B }))
      .referrals[0]!;
    const status = (body: Record<string, unknown>, token = tokens[B]!) =>
      api('POST', `/v1/partner/referrals/${ref.id}/status`, token, body);
    const early = await status({ status: 'completed', outcome: 'got-help' });
    expect(early.status).toBe(409);
    expect(early.body.detail).toBe('allowed from here: received, accepted, rejected, failed');
    expect(early.body.allowed).toEqual(['received', 'accepted', 'rejected', 'failed']);
    const wrongParty = await status({ status: 'cancelled', reasonCode: 'other' });
    expect(wrongParty.status).toBe(409);
    expect(wrongParty.body.detail).toContain('this party may not set that status');
    expect((await status({ status: 'received' })).status).toBe(200);
    expect((await status({ status: 'accepted' })).status).toBe(200);
    expect((await status({ status: 'in-progress' })).status).toBe(200);
    const noOutcome = await status({ status: 'completed' });
    expect(noOutcome.status).toBe(400);
    expect((await status({ status: 'completed', outcome: 'got-help' })).status).toBe(200);
    const after = await status({ status: 'in-progress' });
    expect(after.status).toBe(409);
    expect(after.body.detail).toBe('allowed from here: none (final status)');
    expect(after.body.allowed).toEqual([]);
    const history = (await api('GET', `/v1/referrals/${ref.id}`, coordinator)).body.history.map(
      (h: { to: string }) => h.to,
    );
    expect(history).toEqual(['requested', 'received', 'accepted', 'in-progress', 'completed']);
    const changes = await sql<{ payload: { data: Record<string, unknown> } }>(
      `SELECT payload FROM outbox WHERE message_key = $1 AND event_type = 'cit.referral.status-changed.v1' AND topic = 'cit.referral.v1' ORDER BY seq`,
      [ref.id],
    );
    expect(changes.map((c) => c.payload.data.to)).toEqual(['received', 'accepted', 'in-progress', 'completed']);
    expect(changes[3]!.payload.data).toMatchObject({ from: 'in-progress', changedBy: 'partner', outcome: 'got-help' });

    const bundle = (await api('GET', `/v1/referrals/${ref.id}/fhir`, coordinator)).body;
    const task = bundle.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Task',
    ).resource;
    expect(task).toMatchObject({
      status: 'completed',
      businessStatus: { text: 'got help' },
      output: [expect.anything()],
    });
    const schema = JSON.parse(
      // A dev dependency (tests only); its package exports do not expose the file, so read it from node_modules.
      readFileSync(
        join(
          __dirname,
          '..',
          '..',
          '..',
          '..',
          'node_modules',
          '@medplum',
          'definitions',
          'dist',
          'fhir',
          'r4',
          'fhir.schema.json',
        ),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(draft06MetaSchema);
    const { id, ...draft6 } = schema; // draft-06 names the schema with `id`, which ajv 8 wants as `$id`
    // The published file refers to two definitions it does not contain; give them their FHIR meaning.
    const definitions = {
      ...(draft6.definitions as Record<string, unknown>),
      Resource: { $ref: '#/definitions/ResourceList' },
      integer64: { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' },
    };
    const validate = ajv.compile({ ...draft6, definitions, $id: String(id) });
    const ok = validate(bundle);
    if (!ok) throw new Error(JSON.stringify(validate.errors?.slice(0, 5)));
    expect(
      validate({ ...(bundle as Record<string, unknown>), entry: [{ resource: { ...task, status: 'done' } }] }),
    ).toBe(false);

    // With consent as the basis the bundle carries a Consent, valid too.
    const personId = newId('per');
    await api('POST', `/v1/persons/${personId}/consents`, coordinator, {
      categories: ['identity', 'contact'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const consented = (
      await refer({
        personId,
        needs: ['mental-health'],
        urgency: 'routine',
        riskLevel: 'routine',
        agencyId: B,
        packet: { name: 'X Y' },
      })
    ).referrals[0]!;
    const withConsent = (await api('GET', `/v1/referrals/${consented.id}/fhir`, coordinator)).body;
    expect(withConsent.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual([
      'ServiceRequest',
      'Task',
      'Consent',
    ]);
    if (!validate(withConsent)) throw new Error(JSON.stringify(validate.errors?.slice(0, 5)));
  }, 120000);

  it('re-routes at once on rejection, and alerts the supervisor when no candidate is left', async () => {
    const ref = (await refer({ needs: ['mental-health'], urgency: 'urgent', riskLevel: 'urgent' })).referrals[0]!;
    expect(ref.agencyId).toBe(A);
    const noReason = await api('POST', `/v1/partner/referrals/${ref.id}/status`, tokens[A]!, { status: 'rejected' });
    expect(noReason.status).toBe(400);
    expect(
      (
        await api('POST', `/v1/partner/referrals/${ref.id}/status`, tokens[A]!, {
          status: 'rejected',
          reasonCode: 'no-capacity',
        })
      ).status,
    ).toBe(200);
    const first = (await api('GET', `/v1/referrals/${ref.id}`, coordinator)).body;
    expect(first.status).toBe('rejected');
    const next = (await api('GET', `/v1/referrals/${first.reroutedTo}`, coordinator)).body;
    expect(next).toMatchObject({
      agencyId: B,
      attempt: 2,
      reroutedFrom: ref.id,
      requestId: first.requestId,
      status: 'requested',
    });
    expect(
      (
        await api('POST', `/v1/partner/referrals/${next.id}/status`, tokens[B]!, {
          status: 'rejected',
          reasonCode: 'not-eligible',
        })
      ).status,
    ).toBe(200);
    const last = (await api('GET', `/v1/referrals/${next.id}`, coordinator)).body;
    expect(last.reroutedTo).toBeNull();
    const alerts = (await api('GET', '/v1/alerts', await t.token('supervisor'))).body.items;
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'no-candidate',
          audience: 'supervisor',
          requestId: first.requestId,
          referralId: next.id,
        }),
      ]),
    );
  });

  it('escalates an SLA breach: cancels, alerts the coordinator, re-routes to the next candidate (once)', async () => {
    const ref = (await refer({ needs: ['mental-health'], urgency: 'urgent', riskLevel: 'urgent' })).referrals[0]!;
    expect(ref.agencyId).toBe(A);
    const detail = (await api('GET', `/v1/referrals/${ref.id}`, coordinator)).body;
    // Urgent default: received within 15 minutes, accepted within the hour.
    expect(new Date(detail.sla.acceptBy).getTime() - new Date(detail.sla.receiveBy).getTime()).toBe(45 * 60_000);
    const sweep = t.app.get(SlaSweepService);
    expect(await sweep.sweep(new Date(Date.now() + 60_000))).toBe(0);
    expect(await sweep.sweep(new Date(Date.now() + 16 * 60_000))).toBeGreaterThanOrEqual(1);
    const after = (await api('GET', `/v1/referrals/${ref.id}`, coordinator)).body;
    expect(after).toMatchObject({ status: 'cancelled', reasonCode: 'sla-not-received' });
    expect((await api('GET', `/v1/referrals/${after.reroutedTo}`, coordinator)).body).toMatchObject({
      agencyId: B,
      attempt: 2,
    });
    const alerts = (await api('GET', '/v1/alerts', coordinator)).body.items;
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'sla-not-received', audience: 'coordinator', referralId: ref.id }),
      ]),
    );
    // A late followup escalation of the same referral changes nothing more.
    const count = await sql('SELECT count(*) FROM referral');
    await t.publish('cit.followup.escalated.v1', newId('rem'), {
      reminderId: newId('rem'),
      occurrence: 1,
      kind: 'referral-sla',
      referralId: ref.id,
      level: 1,
      escalatedTo: 'rerouting',
      reason: 'sla-not-accepted',
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect(await sql('SELECT count(*) FROM referral')).toEqual(count);
  });

  it('routes a triage decision from the broker and cancels open referrals when the case closes', async () => {
    const caseId = newId('case');
    const personId = newId('per');
    const triageId = newId('tri');
    await t.publish('cit.triage.completed.v1', triageId, {
      triageId,
      incidentId: newId('inc'),
      personId,
      caseId,
      riskLevel: 'urgent',
      needs: ['mental-health'],
      pathways: ['partner-referral'],
      language: 'es',
      ageRange: 'adult',
      legalBasis: { imminentThreat164512j: false, consent: 'not-recorded' },
      consultation: { required: false, reasons: [] },
      crisisPlanOnFile: false,
      decidedBy: 'rules',
      rulesetVersion: 1,
      decidedAt: new Date().toISOString(),
    });
    const routed = await waitFor(
      'the triage decision to be routed',
      async () => {
        const rows = await sql<{ id: string; agency_id: string; status: string }>(
          'SELECT id, agency_id, status FROM referral WHERE triage_id = $1',
          [triageId],
        );
        return rows.length ? rows : undefined;
      },
      { timeoutMs: 30000 },
    );
    expect(routed).toEqual([expect.objectContaining({ agency_id: A, status: 'requested' })]);
    await waitFor(
      'the webhook of the routed referral',
      () => webhooksFor(A, routed[0]!.id, 'cit.referral.requested.v1')[0],
      { timeoutMs: 15000 },
    );

    // A supervisor override to clinician outreach withdraws the referral (reason superseded) and routes nothing new.
    const overrideId = newId('tri');
    const decision = {
      incidentId: newId('inc'),
      personId,
      caseId,
      needs: ['mental-health' as const],
      ageRange: 'adult' as const,
      legalBasis: { imminentThreat164512j: false, consent: 'not-recorded' as const },
      consultation: { required: false, reasons: [] },
      crisisPlanOnFile: false,
      rulesetVersion: 1,
    };
    await t.publish('cit.triage.completed.v1', overrideId, {
      ...decision,
      triageId: overrideId,
      riskLevel: 'routine',
      pathways: ['clinician-outreach'],
      decidedBy: 'supervisor',
      deciderId: 'supervisor-1',
      supersedes: triageId,
      supersedeReason: 'override',
      decidedAt: new Date().toISOString(),
    });
    await waitFor(
      'the superseded referral to be withdrawn',
      async () => {
        const rows = await sql<{ status: string; reason_code: string }>(
          'SELECT status, reason_code FROM referral WHERE id = $1',
          [routed[0]!.id],
        );
        return rows[0]?.status === 'cancelled' && rows[0].reason_code === 'superseded' ? true : undefined;
      },
      { timeoutMs: 30000 },
    );
    expect(await sql('SELECT id FROM referral WHERE triage_id = $1', [overrideId])).toEqual([]);

    // A later decision for the case routes again; the case closing cancels that one.
    const againId = newId('tri');
    await t.publish('cit.triage.completed.v1', againId, {
      ...decision,
      triageId: againId,
      riskLevel: 'urgent',
      pathways: ['partner-referral'],
      decidedBy: 'rules',
      decidedAt: new Date().toISOString(),
    });
    const again = await waitFor(
      'the later decision to be routed',
      async () => {
        const rows = await sql<{ id: string }>('SELECT id FROM referral WHERE triage_id = $1', [againId]);
        return rows.length ? rows : undefined;
      },
      { timeoutMs: 30000 },
    );
    routed.splice(0, routed.length, { ...routed[0]!, id: again[0]!.id });

    await t.publish('cit.case.closed.v1', caseId, {
      caseId,
      personId,
      outcome: 'stabilized',
      previousStatus: 'in-contact',
      closedAt: new Date().toISOString(),
      closedBy: 'coordinator-1',
    });
    await waitFor(
      'the referral to be cancelled',
      async () => {
        const rows = await sql<{ status: string; reason_code: string }>(
          'SELECT status, reason_code FROM referral WHERE id = $1',
          [routed[0]!.id],
        );
        return rows[0]?.status === 'cancelled' && rows[0].reason_code === 'case-closed' ? true : undefined;
      },
      { timeoutMs: 30000 },
    );
    const hook = await waitFor(
      'the cancellation webhook',
      () => webhooksFor(A, routed[0]!.id, 'cit.referral.status-changed.v1')[0],
      { timeoutMs: 15000 },
    );
    expect(JSON.parse(hook.body).data).toMatchObject({
      to: 'cancelled',
      reasonCode: 'case-closed',
      changedBy: 'system',
    });
  });

  it('rotates webhook secrets with both valid meanwhile, and disables an endpoint failing for 24 hours (agency and ops alerted)', async () => {
    const rotated = await api('POST', '/v1/partner/webhook/rotate', tokens[A]!);
    expect(rotated.status).toBe(200);
    const ref = (await refer({ needs: ['mental-health'], urgency: 'urgent', riskLevel: 'urgent' })).referrals[0]!;
    const hook = await waitFor('the webhook', () => webhooksFor(A, ref.id, 'cit.referral.requested.v1')[0]);
    const headers = hook.headers as Record<string, string>;
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(secrets[A]!).verify(hook.body, headers)).toBeTruthy();
    expect(new Webhook(rotated.body.secret).verify(hook.body, headers)).toBeTruthy();
    // Once the overlap is over only the new secret signs.
    await sql(`UPDATE webhook_endpoint SET previous_valid_until = now() - interval '1 second' WHERE agency_id = $1`, [
      A,
    ]);
    const ref2 = (await refer({ needs: ['mental-health'], urgency: 'urgent', riskLevel: 'urgent' })).referrals[0]!;
    const hook2 = await waitFor('the webhook', () => webhooksFor(A, ref2.id, 'cit.referral.requested.v1')[0]);
    expect(() => new Webhook(secrets[A]!).verify(hook2.body, hook2.headers as Record<string, string>)).toThrow();
    expect(new Webhook(rotated.body.secret).verify(hook2.body, hook2.headers as Record<string, string>)).toBeTruthy();

    // A's receiver fails; it has been failing for 25 hours: the next failure disables it.
    receiver.respond(`/${A}`, 500);
    await sql(`UPDATE webhook_endpoint SET failing_since = now() - interval '25 hours' WHERE agency_id = $1`, [A]);
    const ref3 = (await refer({ needs: ['mental-health'], urgency: 'urgent', riskLevel: 'urgent' })).referrals[0]!;
    await waitFor(
      'the endpoint to be disabled',
      async () => (await api('GET', '/v1/partner/webhook', tokens[A]!)).body.enabled === false || undefined,
      { timeoutMs: 20000 },
    );
    const delivery = (await api('GET', '/v1/partner/webhook-deliveries', tokens[A]!)).body.items.find(
      (d: { referralId: string }) => d.referralId === ref3.id,
    );
    expect(delivery).toMatchObject({ status: 'abandoned', lastStatusCode: 500, attempts: 1 });
    expect((await api('GET', '/v1/partner/alerts', tokens[A]!)).body.items).toEqual([
      expect.objectContaining({ kind: 'webhook-disabled', audience: 'agency' }),
    ]);
    expect((await api('GET', '/v1/alerts', await t.token('ops'))).body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'webhook-disabled', audience: 'ops', agencyId: A })]),
    );
    // Bad URLs are refused and change nothing.
    for (const url of [
      'ftp://x.example/hook',
      'http://partner.example/hook',
      'https://u:p@partner.example/h',
      'not a url',
    ]) {
      const bad = await api('PUT', '/v1/partner/webhook', tokens[A]!, { url });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('url');
    }
    expect((await api('GET', '/v1/partner/webhook', tokens[A]!)).body).toMatchObject({
      enabled: false,
      url: receiver.url(`/${A}`),
    });
    // The pull channel still works for A; the referral waits there.
    expect((await api('GET', `/v1/partner/referrals/${ref3.id}`, tokens[A]!)).status).toBe(200);
  });

  it('pages the pull API with a cursor, and refuses a forged cursor', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { referralId: string }[]; nextCursor: string | null } } = await api(
        'GET',
        `/v1/partner/referrals?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        tokens[A]!,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      all.push(...page.body.items.map((i) => i.referralId));
      cursor = page.body.nextCursor;
    } while (cursor);
    const rows = await sql<{ id: string }>('SELECT id FROM referral WHERE agency_id = $1 ORDER BY seq', [A]);
    expect(all).toEqual(rows.map((r) => r.id));
    expect((await api('GET', '/v1/partner/referrals?cursor=bm9wZQ', tokens[A]!)).status).toBe(400);
    expect(stableUuid('x')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
