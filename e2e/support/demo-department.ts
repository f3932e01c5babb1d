/**
 * The departments the scenarios run in, set up the way a program admin and partner agencies do
 * it: through the services' APIs (program settings, partner directory in HSDS 3.1, MOUs on the
 * four templates, SLA and follow-up settings, partner webhooks, a weekly HUB table). Agency ids
 * carry the run id, so every run gets partner topics of its own on the shared broker.
 */
import { createHash } from 'node:crypto';
import type { Platform } from './platform';
import type { WebhookReceiver } from './webhook-receiver';

type Json = Record<string, unknown>;

const uuid = (...parts: string[]) => {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const ALWAYS = [{ days: WEEKDAYS, opens: '00:00', closes: '24:00' }];
/**
 * Office hours on the weekday after tomorrow (UTC, the department's zone): closed now and for
 * the whole run, so the program is reachable only as an after-hours resource.
 */
const CLOSED_NOW = [{ days: [WEEKDAYS[(new Date().getUTCDay() + 2) % 7]!], opens: '09:00', closes: '17:00' }];

interface AgencySpec {
  id: string;
  name: string;
  kind: string;
  needs: string[];
  template:
    | 'community-organization'
    | 'trial-court-probation'
    | 'community-action-agency'
    | 'emergency-service-provider';
  /** Opening hours in the department's zone (none listed = open at every hour). */
  hours: typeof ALWAYS;
  afterHours?: boolean;
  policeDropOff?: boolean;
  lessensImminentThreat?: boolean;
  available: number;
  maximum: number;
}

/** HSDS 3.1 records for an agency and its one program, with the CIT taxonomy attributes routing reads. */
function hsds(a: AgencySpec): { organization: Json; service: Json } {
  const org = uuid('organization', a.id);
  const id = uuid('service', a.id, 'main');
  const codes = [
    `kind:${a.kind}`,
    ...a.needs.map((n) => `need:${n}`),
    ...(a.afterHours ? ['after-hours'] : []),
    ...(a.policeDropOff ? ['police-drop-off'] : []),
    ...(a.lessensImminentThreat ? ['lessens-imminent-threat'] : []),
  ];
  return {
    organization: {
      id: org,
      name: a.name,
      description: a.name,
      organization_identifiers: [
        {
          id: uuid(org, 'cit-agency-id'),
          organization_id: org,
          identifier_scheme: 'cit-agency-id',
          identifier_type: 'partner-agency',
          identifier: a.id,
        },
      ],
    },
    service: {
      id,
      organization_id: org,
      name: a.name,
      status: 'active',
      attributes: codes.map((code) => {
        const termId = uuid('cit-referral', code);
        return {
          id: uuid(id, 'attribute', code),
          link_id: id,
          link_type: 'service',
          link_entity: 'service',
          taxonomy_term_id: termId,
          taxonomy_term: {
            id: termId,
            code,
            name: code,
            description: `CIT referral: ${code}`,
            taxonomy: 'cit-referral',
          },
          value: code,
        };
      }),
      service_areas: [{ id: uuid(id, 'area'), service_id: id, name: 'department-wide' }],
      languages: [{ id: uuid(id, 'language', 'en'), service_id: id, code: 'en' }],
      schedules: a.hours.map((h, i) => ({
        id: uuid(id, 'schedule', String(i)),
        service_id: id,
        freq: 'WEEKLY',
        byday: h.days.join(','),
        opens_at: h.opens,
        closes_at: h.closes,
      })),
      capacities: [
        {
          id: uuid(id, 'capacity'),
          service_id: id,
          unit: { id: uuid('unit', 'referral-slot'), name: 'referral slots' },
          available: a.available,
          maximum: a.maximum,
          updated: new Date().toISOString(),
        },
      ],
      contacts: [],
    },
  };
}

export interface DemoDepartment {
  id: string;
  agencies: {
    /** DMH community provider: open every hour, community-organization MOU (identity only with consent). */
    dmh: string;
    /** CBHC Mobile Crisis Intervention: after hours, lessens an imminent threat, ESP MOU. */
    mobileCrisis: string;
    /** Emergency Service Provider: after hours, lessens an imminent threat, ESP MOU. */
    esp: string;
    /** Shelter with police drop-off: community-action-agency MOU. */
    shelter: string;
    /** Housing program: community-organization MOU. */
    housing: string;
    /** Probation: trial-court-probation MOU (a HUB member, never a referral target here). */
    probation: string;
  };
  partner: Record<string, string>;
  hubSeriesId: string;
  tokens: { admin: string; coordinator: string; supervisor: string; clinician: string; officer: string };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function ok(what: string, answer: Promise<{ status: number; body: unknown }>, expected = [200, 201]) {
  const a = await answer;
  if (!expected.includes(a.status)) throw new Error(`${what}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
  return a.body as Json;
}

/**
 * The demo department: an in-house clinical unit whose contact cadence fires at once and then
 * weekly (so the reminders of a case are seen within a test), an emergent SLA of one minute,
 * six partner agencies with webhooks on the receiver and a weekly HUB table.
 */
export async function setUpDemoDepartment(p: Platform, receiver: WebhookReceiver): Promise<DemoDepartment> {
  const dept = `e2e-${p.run}-demo`;
  const r = p.run;
  const agencies = {
    dmh: `dmh-${r}`,
    mobileCrisis: `mci-${r}`,
    esp: `esp-${r}`,
    shelter: `shelter-${r}`,
    housing: `housing-${r}`,
    probation: `probation-${r}`,
  };
  const specs: AgencySpec[] = [
    {
      id: agencies.dmh,
      name: 'Harborview DMH Community Provider',
      kind: 'dmh-community-provider',
      needs: ['mental-health'],
      template: 'community-organization',
      hours: ALWAYS,
      available: 9,
      maximum: 10,
    },
    {
      id: agencies.mobileCrisis,
      name: 'Northshore CBHC Mobile Crisis Intervention',
      kind: 'mobile-crisis',
      needs: ['mental-health', 'substance-use'],
      template: 'emergency-service-provider',
      hours: CLOSED_NOW,
      afterHours: true,
      lessensImminentThreat: true,
      available: 4,
      maximum: 5,
    },
    {
      id: agencies.esp,
      name: 'Metro Emergency Service Provider',
      kind: 'emergency-service-provider',
      needs: ['mental-health'],
      template: 'emergency-service-provider',
      hours: CLOSED_NOW,
      afterHours: true,
      lessensImminentThreat: true,
      available: 1,
      maximum: 5,
    },
    {
      id: agencies.shelter,
      name: 'Pine Street Shelter',
      kind: 'shelter',
      needs: ['housing'],
      template: 'community-action-agency',
      hours: ALWAYS,
      afterHours: true,
      policeDropOff: true,
      available: 5,
      maximum: 10,
    },
    {
      id: agencies.housing,
      name: 'Harbor Housing First',
      kind: 'housing',
      needs: ['housing'],
      template: 'community-organization',
      hours: ALWAYS,
      available: 2,
      maximum: 10,
    },
    {
      id: agencies.probation,
      name: 'District Court Probation',
      kind: 'probation',
      needs: ['re-entry'],
      template: 'trial-court-probation',
      hours: ALWAYS,
      available: 3,
      maximum: 3,
    },
  ];
  const tokens = {
    admin: await p.staff(dept, 'admin'),
    coordinator: await p.staff(dept, 'coordinator', { subject: 'coordinator-rivera', districts: ['supervisors'] }),
    supervisor: await p.staff(dept, 'supervisor', { subject: 'supervisor-chen', districts: ['supervisors'] }),
    clinician: await p.staff(dept, 'clinician', { subject: 'clinician-okafor' }),
    officer: await p.staff(dept, 'officer', { subject: 'officer-4471' }),
  };

  const program = await ok('GET program', p.api('triage', 'GET', '/v1/program', tokens.admin));
  await ok(
    'PUT program',
    p.api('triage', 'PUT', '/v1/program', tokens.admin, {
      model: 'in-house-clinical',
      mission: 'Connect residents in crisis with care instead of jail.',
      // No staffed hours: every call is after hours, so only after-hours programs take emergencies.
      businessHours: [],
      timeZone: 'UTC',
      reviewPolicy: { mode: 'none' },
      // The first two contact reminders come due at once, then weekly: a case's reminders fire within the test.
      contactCadence: ['PT0H', 'PT0H', 'P7D'],
      repeatContactRule: { incidents: 3, windowDays: 30 },
      diversionProgram: false,
      expectedVersion: (program as { version?: number }).version ?? 0,
    }),
  );

  const docs = specs.map(hsds);
  await ok(
    'directory import',
    p.api('referral', 'POST', '/v1/directory/hsds', tokens.admin, {
      organizations: docs.map((d) => d.organization),
      services: docs.map((d) => d.service),
    }),
  );
  await ok(
    'referral settings',
    p.api('referral', 'PUT', '/v1/referral-settings', tokens.admin, {
      timezone: 'UTC',
      routingMode: 'single',
      maxAgencies: 1,
      sla: {
        emergent: { receiveWithinMinutes: 1, acceptWithinMinutes: 2 },
        urgent: { receiveWithinMinutes: 60, acceptWithinMinutes: 240 },
        routine: { acceptWithinBusinessDays: 2 },
      },
    }),
  );
  for (const a of specs) {
    await ok(
      `MOU ${a.id}`,
      p.api('referral', 'PUT', `/v1/mous/mou-${a.id}`, tokens.admin, {
        agencyId: a.id,
        template: a.template,
        effectiveFrom: day(-180),
        // The probation MOU expires within 60 days, as a real directory's would now and then.
        expiresOn: a.template === 'trial-court-probation' ? day(45) : day(365),
        documentRef: `mous/${a.id}-signed.pdf`,
      }),
    );
  }
  await ok(
    'follow-up settings',
    p.api('followup', 'PUT', '/v1/settings/followup', tokens.admin, {
      timeZone: 'UTC',
      honorBusinessHours: false,
      businessHours: [1, 2, 3, 4, 5].map((d) => ({ day: d, open: '08:00', close: '17:00' })),
      sla: {
        emergent: { receiveWithin: 'PT1M', acceptWithin: 'PT2M' },
        urgent: { receiveWithin: 'PT1H', acceptWithin: 'PT4H' },
        routine: { receiveWithin: 'PT24H', acceptWithin: 'PT72H' },
      },
      adminTarget: { type: 'unit', id: 'program-admin' },
      supervisorTarget: { type: 'unit', id: 'supervisors' },
      smtp: null,
    }),
  );

  const partner: Record<string, string> = {};
  for (const a of specs) {
    partner[a.id] = await p.partner(dept, a.id);
    const reg = await ok(
      `webhook ${a.id}`,
      p.api('referral', 'PUT', '/v1/partner/webhook', partner[a.id]!, { url: receiver.url(`/${a.id}`) }),
    );
    receiver.secret(`/${a.id}`, String(reg.secret));
  }

  // The HUB table: its members are known to conference once their MOUs arrived (cit.referral.mou-changed.v1).
  const members = [agencies.mobileCrisis, agencies.dmh, agencies.shelter, agencies.probation];
  const deadline = Date.now() + 90_000;
  for (;;) {
    const listed = await p.api('conference', 'GET', '/v1/agencies', tokens.admin);
    const ids = JSON.stringify(listed.body ?? '');
    if (listed.status === 200 && members.every((m) => ids.includes(m))) break;
    if (Date.now() > deadline) throw new Error(`conference never learned the MOUs: ${JSON.stringify(listed.body)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
  await ok(
    'conference settings',
    p.api('conference', 'PUT', '/v1/settings', tokens.admin, {
      timeZone: 'UTC',
      horizonWeeks: 8,
      familyFormEnabled: true,
      expectedVersion: 0,
    }),
  );
  const first = new Date(Date.now() + 3 * 86_400_000);
  const series = await ok(
    'HUB series',
    p.api('conference', 'POST', '/v1/series', tokens.admin, {
      kind: 'hub',
      title: 'Harbor District HUB table',
      rrule: 'FREQ=WEEKLY',
      firstOccurrence: `${first.toISOString().slice(0, 10)}T10:00`,
      timeZone: 'UTC',
      durationMinutes: 90,
      location: 'District B-2, community room',
      members: members.map((agencyId, i) => ({ agencyId, role: i === 0 ? 'chair' : 'member' })),
      caseCapacity: 6,
      nominationCutoffHours: 24,
    }),
  );
  return { id: dept, agencies, partner, hubSeriesId: String(series.id), tokens };
}

/** The Social Justice Unit department: a supervisor reviews every call and assigns one of five sectors. */
export async function setUpSocialJusticeDepartment(p: Platform) {
  const dept = `e2e-${p.run}-sju`;
  const tokens = {
    admin: await p.staff(dept, 'admin'),
    supervisor: await p.staff(dept, 'supervisor', { subject: 'sgt-alvarez' }),
    officer: await p.staff(dept, 'officer', { subject: 'officer-2208' }),
    coordinator: await p.staff(dept, 'coordinator', { subject: 'sju-coordinator' }),
  };
  await ok(
    'PUT program (social justice)',
    p.api('triage', 'PUT', '/v1/program', tokens.admin, {
      model: 'social-justice',
      mission: 'Five sectors, each with dedicated staff, connect residents with services.',
      businessHours: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => ({
        day: d,
        opens: '08:00',
        closes: '17:00',
      })),
      timeZone: 'America/New_York',
      reviewPolicy: { mode: 'all' },
      contactCadence: ['PT24H', 'PT72H', 'P7D'],
      repeatContactRule: { incidents: 3, windowDays: 30 },
      diversionProgram: false,
      expectedVersion: 0,
    }),
  );
  return { id: dept, tokens };
}
