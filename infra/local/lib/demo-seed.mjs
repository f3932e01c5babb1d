// Seeds the demo departments through the running services' APIs, as a program admin and a
// partner would: triage program and staff, referral settings and MOUs (their events reach
// conference and followup), the partner's Standard Webhooks endpoint, conference settings and
// series, followup settings and a webhook notification endpoint. Idempotent: what is already
// there (and equal) is left alone, so a re-run changes nothing. The partner directory (HSDS) is
// referral's own seed entry point (services/referral/src/seed.ts), run after its migrations.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  CONFERENCE_SETTINGS,
  DEMO,
  DEPARTMENT_NAMES,
  FOLLOWUP_SETTINGS,
  MOUS,
  PROGRAMS,
  REFERRAL_SETTINGS,
  SERIES,
  SJU,
  STAFF,
  WEBHOOK_AGENCY,
} from '../demo/demo-seed-data.mjs';
import { writeAtomic } from './files.mjs';
import { kafkaControl } from './kafka-mock.mjs';
import { FILES, LOCAL, ROOT, SERVICES } from './paths.mjs';

const require = createRequire(import.meta.url);
const { expandTopics } = require('../../../libs/contracts/src/topic-expansion.cjs');
const { addDays, addMonths, firstOccurrence, localDate } = require('./demo-dates.cjs');

/** The departments `seedDemo` knows. */
export const DEMO_DEPARTMENTS = [DEMO, SJU];
export { DEMO, SJU, WEBHOOK_AGENCY };

/** Where `npm start` runs the demo partner's Standard Webhooks receiver (CIT_WEBHOOK_RECEIVER_PORT overrides). */
export const DEFAULT_RECEIVER_PORT = Number(process.env.CIT_WEBHOOK_RECEIVER_PORT || 3990);

/** The default service ports (the ones `npm start` uses). */
export const DEFAULT_PORTS = Object.fromEntries(SERVICES);

/** A deterministic development secret (from this machine's BLIND_INDEX_KEY), so re-runs need no state. */
export function derivedWebhookSecret(env, label) {
  const key = env.BLIND_INDEX_KEY || 'cit-demo-development-only';
  return `whsec_${createHmac('sha256', key).update(`cit-demo-webhook|${label}`).digest('base64')}`;
}

/**
 * A signer of development tokens ({ roles, department, agency?, subject? } → JWT) with the dev
 * issuer's key through the built @cit/auth, as token.cli.ts signs them; tokens are cached per claims.
 */
export async function devTokenSigner(env) {
  const built = path.join(ROOT, 'libs/auth/dist/dev-issuer/dev-token.js');
  if (!fs.existsSync(built)) throw new Error(`${path.relative(ROOT, built)} not found: build first (npm run build)`);
  const { issueDevToken } = require(built);
  const cache = new Map();
  return async ({ roles, department, agency, subject }) => {
    const key = JSON.stringify([roles, department, agency, subject]);
    if (!cache.has(key))
      cache.set(
        key,
        await issueDevToken({
          roles,
          department,
          agency,
          subject,
          ttl: 3600,
          issuer: env.AUTH_ISSUER,
          audience: env.AUTH_AUDIENCE,
          keyDir: path.join(LOCAL, 'dev-issuer'),
        }),
      );
    return cache.get(key);
  };
}

class ApiError extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} answered ${status}: ${body?.title ?? ''} ${body?.detail ?? ''}`.trim());
    this.status = status;
    this.body = body;
  }
}

function client(base, token) {
  const call = async (method, route, body, { allow = [] } = {}) => {
    const url = `${base}${route}`;
    let res;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${await token()}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        break;
      } catch (err) {
        // A pooled keep-alive connection the service closed as it was reused: every call here is idempotent.
        if (attempt < 2 && ['UND_ERR_SOCKET', 'ECONNRESET'].includes(err.cause?.code)) continue;
        throw new Error(`${method} ${url}: ${err.cause?.code ?? err.message}`);
      }
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = { title: text.slice(0, 200) };
    }
    if (!res.ok && !allow.includes(res.status)) throw new ApiError(method, url, res.status, json);
    return { status: res.status, body: json };
  };
  return {
    get: (r, o) => call('GET', r, undefined, o),
    put: (r, b, o) => call('PUT', r, b, o),
    post: (r, b, o) => call('POST', r, b, o),
  };
}

// Key order does not count (PostgreSQL jsonb reorders keys).
const canonical = (v) =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical(v[k])]),
        )
      : v;
const sameJson = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const pick = (obj, keys) => Object.fromEntries(keys.map((k) => [k, obj?.[k]]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The webhook secret file of one referral instance (the secret is answered once, at registration). */
function webhookStateFile(stateDir, department, agency, referralPort) {
  return path.join(stateDir, `webhook-${department}-${agency}-${referralPort}.json`);
}

/** The secrets the receiver verifies referral deliveries of `agency` with (empty before the seed). */
export function webhookSecrets(
  env,
  { department = DEMO, agency = WEBHOOK_AGENCY, referralPort = DEFAULT_PORTS.referral, stateDir } = {},
) {
  const dir = stateDir ?? path.join(LOCAL, 'demo');
  return {
    referrals: () => {
      try {
        const s = JSON.parse(fs.readFileSync(webhookStateFile(dir, department, agency, referralPort), 'utf8'));
        return [s.secret];
      } catch {
        return [];
      }
    },
    reminders: () => [derivedWebhookSecret(env, `${department}|followup|${agency}`)],
  };
}

/**
 * Seeds `departments` (default both) through the services on `ports` ({ intake, triage, referral,
 * conference, followup }). `receiverUrl` is the base of the local Standard Webhooks receiver
 * (http://127.0.0.1:<port>); without it no webhook endpoints are registered. `incidents: true`
 * also imports the demo department's call history. `prefix` seeds `<prefix><department>` instead
 * (tests and benchmarks keep their events apart from the demo's on a shared broker); `directory:
 * true` imports the HSDS directory of referral's seed through POST /v1/directory/hsds when the
 * department has none (referral's seed entry point only seeds the platform's department). `log` prints each line. Returns what it did.
 */
export async function seedDemo(
  env,
  ports = DEFAULT_PORTS,
  {
    departments = DEMO_DEPARTMENTS,
    receiverUrl,
    incidents = false,
    prefix = '',
    directory = false,
    stateDir = path.join(LOCAL, 'demo'),
    log = (line) => console.log(`[seed] ${line}`),
    agencyTimeoutMs = 60_000,
  } = {},
) {
  const sign = await devTokenSigner(env);
  const base = (svc) => `http://127.0.0.1:${ports[svc]}`;
  const result = { departments: {}, partnerCredentials: [], webhook: null };

  for (const kind of departments) {
    if (!PROGRAMS[kind]) throw new Error(`unknown demo department ${kind} (known: ${DEMO_DEPARTMENTS.join(', ')})`);
    const dept = `${prefix}${kind}`;
    const admin = () => sign({ roles: ['admin'], department: dept, subject: STAFF[kind].at(-1).subject });
    const api = (svc) => client(base(svc), admin);
    const done = { created: [], unchanged: [] };
    const note = (changed, what) => (changed ? done.created : done.unchanged).push(what);
    log(`${dept}: ${DEPARTMENT_NAMES[kind]}`);

    // Triage: program settings and staff.
    const program = (await api('triage').get('/v1/program')).body;
    const wantProgram = PROGRAMS[kind];
    if (program.isDefault || !sameJson(pick(program, Object.keys(wantProgram)), wantProgram)) {
      await api('triage').put('/v1/program', { ...wantProgram, expectedVersion: program.version ?? 0 });
      note(true, `triage program (${wantProgram.model})`);
    } else note(false, 'triage program');
    const staffList = (await api('triage').get('/v1/staff')).body;
    const known = new Set((staffList.items ?? staffList).map((s) => s.subject));
    const newStaff = STAFF[kind].filter((s) => !known.has(s.subject));
    for (const s of newStaff) await api('triage').post('/v1/staff', s);
    note(newStaff.length > 0, `staff ${newStaff.length} added, ${STAFF[kind].length - newStaff.length} already there`);

    if (directory && (MOUS[kind] ?? []).length) {
      const have = (await api('referral').get('/v1/directory/hsds')).body;
      if (!have.organizations?.length) {
        const { demoDirectoryDocument } = require(path.join(ROOT, 'services/referral/dist/seed-directory.js'));
        await api('referral').post('/v1/directory/hsds', demoDirectoryDocument());
      }
      note(!have.organizations?.length, 'partner directory (HSDS 3.1)');
    }

    // Referral: settings, then MOUs through the API so mou-changed reaches conference and followup.
    const settings = (await api('referral').get('/v1/referral-settings')).body;
    const wantSettings = REFERRAL_SETTINGS[kind];
    if (!sameJson(pick(settings, Object.keys(wantSettings)), wantSettings)) {
      await api('referral').put('/v1/referral-settings', wantSettings);
      note(true, 'referral settings');
    } else note(false, 'referral settings');

    const today = localDate(wantSettings.timezone);
    const mous = MOUS[kind] ?? [];
    if (mous.length) {
      const existing = (await api('referral').get('/v1/mous')).body;
      const byId = new Map((existing.items ?? existing).map((m) => [m.id, m]));
      const conferenceKnows = await knownAgencies(api('conference'));
      let put = 0;
      for (const m of mous) {
        const id = `mou-${m.agencyId}`;
        const have = byId.get(id);
        // Present and announced: leave it. Present but unknown to conference (an MOU written by an
        // older seed without its event): PUT it again unchanged, which announces it.
        if (have && conferenceKnows.has(m.agencyId)) continue;
        const body = have
          ? pick(have, [
              'agencyId',
              'template',
              'serviceIds',
              'effectiveFrom',
              'expiresOn',
              'status',
              'terms',
              'documentRef',
            ])
          : {
              agencyId: m.agencyId,
              template: m.template,
              serviceIds: [],
              effectiveFrom: addMonths(today, -6),
              expiresOn: m.expiresInDays ? addDays(today, m.expiresInDays) : addMonths(today, 12),
              status: 'active',
              ...(m.terms ? { terms: m.terms } : {}),
              documentRef: `mous/${m.agencyId}-signed.pdf`,
            };
        await api('referral').put(`/v1/mous/${id}`, body);
        put++;
      }
      note(put > 0, `MOUs ${put} written, ${mous.length - put} already there`);
      await ensurePartnerTopics(
        env,
        mous.map((m) => m.agencyId),
        log,
      );
      for (const m of mous)
        result.partnerCredentials.push({
          department: dept,
          agencyId: m.agencyId,
          command: `npm run -s token -- --agency ${m.agencyId} --department ${dept}`,
        });
    }

    // Partner webhook endpoint (registered as the partner, with the partner's own token).
    if (receiverUrl && mous.some((m) => m.agencyId === WEBHOOK_AGENCY)) {
      const partner = client(base('referral'), () => sign({ department: dept, agency: WEBHOOK_AGENCY }));
      const url = `${receiverUrl}/webhooks/referrals/${WEBHOOK_AGENCY}`;
      const file = webhookStateFile(stateDir, dept, WEBHOOK_AGENCY, ports.referral);
      const current = await partner.get('/v1/partner/webhook', { allow: [404] });
      let state;
      try {
        state = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        state = null;
      }
      if (current.status === 200 && current.body.url === url && current.body.enabled && state?.url === url) {
        note(false, `webhook endpoint of ${WEBHOOK_AGENCY}`);
      } else {
        const reg = (await partner.put('/v1/partner/webhook', { url })).body;
        fs.mkdirSync(stateDir, { recursive: true });
        writeAtomic(
          file,
          JSON.stringify({ url, secret: reg.secret, agencyId: WEBHOOK_AGENCY, department: dept }) + '\n',
          0o600,
        );
        state = { url, secret: reg.secret };
        note(true, `webhook endpoint of ${WEBHOOK_AGENCY} → ${url}`);
      }
      result.webhook = { department: dept, agencyId: WEBHOOK_AGENCY, url, secret: state.secret };
    }

    // Conference: settings, then the series once conference knows their member agencies.
    if (CONFERENCE_SETTINGS[kind]) {
      const want = CONFERENCE_SETTINGS[kind];
      const got = await api('conference').get('/v1/settings', { allow: [404] });
      if (got.status === 404 || !sameJson(pick(got.body, Object.keys(want)), want)) {
        await api('conference').put('/v1/settings', {
          ...want,
          expectedVersion: got.status === 404 ? 0 : got.body.version,
        });
        note(true, 'conference settings');
      } else note(false, 'conference settings');
      const series = SERIES[kind] ?? [];
      const members = [...new Set(series.flatMap((s) => s.members.map((m) => m.agencyId)))];
      await waitForAgencies(api('conference'), members, agencyTimeoutMs);
      const have = new Set(((await api('conference').get('/v1/series')).body.items ?? []).map((s) => s.title));
      let created = 0;
      for (const s of series) {
        if (have.has(s.title)) continue;
        const { first, ...rest } = s;
        await api('conference').post('/v1/series', { ...rest, firstOccurrence: firstOccurrence(first, today) });
        created++;
      }
      note(created > 0, `conference series ${created} created, ${series.length - created} already there`);
    }

    // Followup: settings and a webhook notification endpoint for the partner's reminders.
    const fs_ = (await api('followup').get('/v1/settings/followup')).body;
    const wantFollowup = FOLLOWUP_SETTINGS[kind];
    if (!sameJson(pick(fs_, Object.keys(wantFollowup)), wantFollowup)) {
      await api('followup').put('/v1/settings/followup', wantFollowup);
      note(true, 'followup settings');
    } else note(false, 'followup settings');
    if (receiverUrl && mous.some((m) => m.agencyId === WEBHOOK_AGENCY)) {
      const url = `${receiverUrl}/webhooks/reminders/${WEBHOOK_AGENCY}`;
      const endpoints = (await api('followup').get('/v1/notification-endpoints')).body.items ?? [];
      const there = endpoints.some(
        (e) => e.channel === 'webhook' && e.url === url && e.target.type === 'agency' && e.target.id === WEBHOOK_AGENCY,
      );
      if (!there)
        await api('followup').post('/v1/notification-endpoints', {
          channel: 'webhook',
          target: { type: 'agency', id: WEBHOOK_AGENCY },
          url,
          secret: derivedWebhookSecret(env, `${dept}|followup|${WEBHOOK_AGENCY}`),
        });
      note(!there, `followup webhook endpoint for agency ${WEBHOOK_AGENCY} → ${url}`);
    }

    for (const c of done.created) log(`${dept}: set ${c}`);
    for (const u of done.unchanged) log(`${dept}: unchanged ${u}`);
    result.departments[dept] = done;
  }

  if (incidents && departments.includes(DEMO) && !prefix) {
    const { seedDemoIncidents } = await import('./demo.mjs');
    await seedDemoIncidents(env, ports.intake);
  }
  return result;
}

async function knownAgencies(conference) {
  const got = await conference.get('/v1/agencies');
  return new Set((got.body.items ?? []).map((a) => a.agencyId));
}

/** Conference learns agencies from referral's MOU events: wait until it knows every member. */
async function waitForAgencies(conference, agencyIds, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const known = await knownAgencies(conference);
    const missing = agencyIds.filter((a) => !known.has(a));
    if (!missing.length) return;
    if (Date.now() > deadline)
      throw new Error(
        `conference does not know agencies ${missing.join(', ')} after ${timeoutMs / 1000}s: is cit.referral.mou-changed.v1 flowing (referral outbox relay, conference consumer)?`,
      );
    await sleep(250);
  }
}

/** Partner topics of agencies the local broker was not launched with (the mock has no auto-creation we rely on). */
async function ensurePartnerTopics(env, agencyIds, log) {
  if (!env.KAFKA_MOCK_CONTROL) return;
  const manifest = JSON.parse(fs.readFileSync(FILES.manifest, 'utf8'));
  const streamTopics = new Set(expandTopics(manifest, []).map((t) => t.name));
  let created = 0;
  for (const t of expandTopics(manifest, agencyIds).filter((x) => !streamTopics.has(x.name))) {
    const answer = await kafkaControl(env.KAFKA_MOCK_CONTROL, `topic ${t.name} ${t.partitions}`).catch(
      (e) => e.message,
    );
    if (answer.startsWith('ok')) created++;
    else if (!/exist/i.test(answer)) log(`partner topic ${t.name}: ${answer}`);
  }
  if (created) log(`created ${created} partner topics on the local broker`);
}

/**
 * The demo partner's receiver as `npm start` runs it: referral deliveries at /webhooks/referrals/<agency>
 * verified with the secret the seed registered, reminders at /webhooks/reminders/<agency>.
 */
export function startDemoReceiver(env, ports = DEFAULT_PORTS, { port = DEFAULT_RECEIVER_PORT, stateDir } = {}) {
  const secrets = webhookSecrets(env, { referralPort: ports.referral, stateDir });
  // Loaded here, not at the top: `npm test` on a fresh clone imports this module before npm ci
  // has installed standardwebhooks.
  const { startWebhookReceiver } = require('./webhook-receiver.cjs');
  return startWebhookReceiver({ port, secretsFor: (source) => secrets[source]?.() ?? [] });
}

/** Prints partner credentials and the webhook receiver, for `npm start` and `cit.mjs seed`. */
export function printSeedSummary(result, { receiverPort } = {}) {
  if (result.partnerCredentials.length) {
    console.log('Partner credentials (client credentials of each agency; locally the dev issuer signs them):');
    for (const p of result.partnerCredentials) console.log(`  ${p.agencyId.padEnd(22)} ${p.command}`);
  }
  if (result.webhook && receiverPort)
    console.log(
      `Webhook receiver for ${result.webhook.agencyId}: ${result.webhook.url} (deliveries: curl -s http://127.0.0.1:${receiverPort}/deliveries)`,
    );
}
