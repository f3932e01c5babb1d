// What the demo departments are: invented, shaped after the Metro Boston CIT guidance. The partner
// directory itself is HSDS in services/referral/src/seed-directory.ts (referral's seed entry point);
// everything here goes through the services' APIs (infra/local/lib/demo-seed.mjs).

/** The in-house clinical unit department every walkthrough and scenario uses. */
export const DEMO = 'demo';
/** The Social Justice Unit department (scenario 7): a supervisor assigns one of five sectors. */
export const SJU = 'riverton';

/** The agency whose referrals the local Standard Webhooks receiver takes. */
export const WEBHOOK_AGENCY = 'metro-mobile-crisis';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Per department: triage program settings (PUT /v1/program, without expectedVersion). */
export const PROGRAMS = {
  [DEMO]: {
    model: 'in-house-clinical',
    mission:
      'Demo City answers behavioral-health calls with care: an in-house clinical outreach unit reviews every call, ' +
      'a co-response counselor from Metro Emergency Services rides with patrol, and the HUB table meets weekly.',
    businessHours: WEEKDAYS.map((day) => ({ day, opens: '08:00', closes: '18:00' })),
    timeZone: 'America/New_York',
    reviewPolicy: { mode: 'none' },
    contactCadence: ['PT24H', 'PT72H', 'P7D'],
    repeatContactRule: { incidents: 3, windowDays: 30 },
    diversionProgram: true,
  },
  [SJU]: {
    model: 'social-justice',
    mission:
      'The Riverton Social Justice Unit connects residents with services instead of arrest; a supervisor reviews ' +
      'every call and assigns it to one of five sectors with dedicated staff.',
    businessHours: WEEKDAYS.map((day) => ({ day, opens: '07:00', closes: '19:00' })),
    timeZone: 'America/New_York',
    reviewPolicy: { mode: 'all' },
    contactCadence: ['PT24H', 'P7D'],
    repeatContactRule: { incidents: 3, windowDays: 30 },
    diversionProgram: false,
  },
};

const staff = (subject, displayName, roles, { unit = null, sector = null, cjis = true, expires = '2027-12-31' } = {}) => ({
  subject,
  displayName,
  roles,
  unit,
  sector,
  cjisCleared: cjis,
  cjisExpiresOn: cjis ? expires : null,
  active: true,
});

/**
 * Staff by department (POST /v1/staff). Subjects match the dev tokens the walkthrough and the
 * scenarios issue (`npm run token -- --role coordinator --department demo --subject coord-0420`).
 */
export const STAFF = {
  [DEMO]: [
    staff('officer-4401', 'Officer D. Keane', ['officer'], { unit: 'Patrol District 3' }),
    staff('sgt-2210', 'Sgt. M. Okafor', ['sergeant', 'supervisor'], { unit: 'Patrol District 3' }),
    staff('pc-0100', 'Lt. A. Ferreira, CIT police coordinator', ['police-coordinator', 'supervisor']),
    staff('clinician-0311', 'R. Alvarez, LICSW', ['clinician', 'social-worker'], { unit: 'Clinical Outreach Unit' }),
    staff('coord-0420', 'T. Nguyen, care coordinator', ['coordinator'], { unit: 'Clinical Outreach Unit' }),
    staff('nurse-0512', 'P. Walsh, RN', ['public-health-nurse'], { unit: 'Clinical Outreach Unit' }),
    staff('coach-0633', 'L. Brooks, recovery coach', ['recovery-coach'], { unit: 'Clinical Outreach Unit' }),
    // The Emergency Service Provider's counselor rides with patrol but holds no CJIS clearance:
    // police narratives and crisis plans stay hidden from them.
    staff('esp-counselor-07', 'J. Baptiste, co-response counselor (Metro ESP)', ['co-responder-counselor'], {
      unit: 'Co-Response',
      cjis: false,
    }),
    staff('admin-0001', 'K. Osei, CIT program administrator', ['admin']),
  ],
  [SJU]: [
    staff('sju-supervisor-01', 'Sgt. R. Delgado, SJU supervisor', ['supervisor', 'sergeant'], { unit: 'SJU' }),
    staff('sju-seniors-01', 'H. Park, LICSW (seniors)', ['clinician', 'social-worker'], { unit: 'SJU', sector: 'seniors' }),
    staff('sju-homeless-01', 'C. Moreau (homelessness)', ['social-worker'], { unit: 'SJU', sector: 'homelessness' }),
    staff('sju-youth-01', 'Officer B. Tran (juveniles)', ['officer'], { unit: 'SJU', sector: 'juveniles' }),
    staff('sju-overdose-01', 'E. Silva, recovery coach (overdose)', ['recovery-coach'], { unit: 'SJU', sector: 'overdose' }),
    staff('sju-mh-01', 'F. Grant, LMHC (mental health)', ['clinician'], { unit: 'SJU', sector: 'mental-health' }),
    staff('sju-admin-01', 'SJU program administrator', ['admin']),
  ],
};

/** Referral routing settings (PUT /v1/referral-settings). */
export const REFERRAL_SETTINGS = {
  [DEMO]: { timezone: 'America/New_York', routingMode: 'single', maxAgencies: 1 },
  [SJU]: { timezone: 'America/New_York', routingMode: 'single', maxAgencies: 1 },
};

/** Follow-up settings (PUT /v1/settings/followup). */
export const FOLLOWUP_SETTINGS = {
  [DEMO]: {
    timeZone: 'America/New_York',
    honorBusinessHours: false,
    businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '08:00', close: '18:00' })),
    sla: {
      emergent: { receiveWithin: 'PT5M', acceptWithin: 'PT15M' },
      urgent: { receiveWithin: 'PT15M', acceptWithin: 'PT1H' },
      routine: { receiveWithin: 'PT24H', acceptWithin: 'P2D' },
    },
    adminTarget: { type: 'unit', id: 'program-admin' },
    supervisorTarget: { type: 'unit', id: 'supervisors' },
    smtp: null,
  },
  [SJU]: {
    timeZone: 'America/New_York',
    honorBusinessHours: true,
    businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '07:00', close: '19:00' })),
    sla: {
      emergent: { receiveWithin: 'PT15M', acceptWithin: 'PT1H' },
      urgent: { receiveWithin: 'PT1H', acceptWithin: 'PT4H' },
      routine: { receiveWithin: 'PT24H', acceptWithin: 'PT72H' },
    },
    adminTarget: { type: 'unit', id: 'sju-admin' },
    supervisorTarget: { type: 'user', id: 'sju-supervisor-01' },
    smtp: null,
  },
};

const category = (shared, consentRequired = false) => ({ shared, consentRequired });

/**
 * MOUs of the demo department, one per partner agency, on the four templates. `terms` absent =
 * the template's; `expiresInDays` short = the one a program admin must renew soon.
 */
export const MOUS = {
  [DEMO]: [
    { agencyId: 'metro-mobile-crisis', template: 'emergency-service-provider' },
    {
      agencyId: 'metro-esp',
      template: 'emergency-service-provider',
      // The ESP's counselor works inside the department: substance-use details still need consent.
      terms: {
        treatment: true,
        categories: {
          identity: category(true),
          contact: category(true),
          narrative: category(true),
          indicators: category(true),
          'substance-use': category(true, true),
        },
      },
    },
    { agencyId: 'harbor-recovery', template: 'community-organization', expiresInDays: 45 },
    {
      agencyId: 'harbor-detox',
      template: 'community-organization',
      // Police drop-off after hours: the detox program needs identity and contact at the door.
      terms: {
        treatment: true,
        categories: {
          identity: category(true),
          contact: category(true),
          narrative: category(false),
          indicators: category(true),
          'substance-use': category(true, true),
        },
      },
    },
    { agencyId: 'northside-housing', template: 'community-action-agency' },
    { agencyId: 'northside-shelter', template: 'community-organization' },
    { agencyId: 'elder-services', template: 'community-organization' },
    {
      agencyId: 'dmh-community',
      template: 'community-organization',
      terms: {
        treatment: true,
        categories: {
          identity: category(true, true),
          contact: category(true, true),
          narrative: category(false),
          indicators: category(true),
          'substance-use': category(false),
        },
      },
    },
    { agencyId: 'metro-youth-services', template: 'community-organization' },
    { agencyId: 'demo-action', template: 'community-action-agency' },
    { agencyId: 'demo-schools', template: 'community-organization' },
    { agencyId: 'dcf-area-office', template: 'community-organization' },
    { agencyId: 'district-probation', template: 'trial-court-probation' },
  ],
  [SJU]: [],
};

/** Conference settings (PUT /v1/settings, without expectedVersion). */
export const CONFERENCE_SETTINGS = {
  [DEMO]: { timeZone: 'America/New_York', horizonWeeks: 12, familyFormEnabled: true },
};

/**
 * Conference series of the demo department. `first` is how the first occurrence is found from
 * today: the next given weekday, or the n-th weekday of next month (so it matches the RRULE).
 */
export const SERIES = {
  [DEMO]: [
    {
      kind: 'hub',
      title: 'Demo City HUB table',
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
      first: { weekday: 2, time: '10:00' },
      durationMinutes: 90,
      location: 'Demo City Police HQ, community room B',
      members: [
        { agencyId: 'metro-mobile-crisis', role: 'chair' },
        { agencyId: 'metro-esp', role: 'member' },
        { agencyId: 'harbor-recovery', role: 'member' },
        { agencyId: 'northside-housing', role: 'member' },
        { agencyId: 'elder-services', role: 'member' },
        { agencyId: 'dmh-community', role: 'member' },
        { agencyId: 'metro-youth-services', role: 'member' },
        { agencyId: 'district-probation', role: 'member' },
      ],
      caseCapacity: 6,
      nominationCutoffHours: 48,
    },
    {
      kind: 'ccit',
      title: 'Metro CCIT case conference',
      rrule: 'FREQ=MONTHLY;BYDAY=1WE',
      first: { nth: 1, weekday: 3, time: '14:00' },
      durationMinutes: 120,
      location: 'Metro CBHC, 2nd floor conference room',
      meetingUrl: 'https://meet.example.org/metro-ccit',
      members: [
        { agencyId: 'dmh-community', role: 'chair' },
        { agencyId: 'metro-mobile-crisis', role: 'member' },
        { agencyId: 'harbor-detox', role: 'member' },
        { agencyId: 'northside-shelter', role: 'member' },
        { agencyId: 'metro-youth-services', role: 'member' },
      ],
      caseCapacity: 8,
      nominationCutoffHours: 72,
    },
    {
      kind: 'stakeholder',
      title: 'CIT quarterly stakeholder meeting',
      rrule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH',
      first: { nth: 2, weekday: 4, time: '09:00' },
      durationMinutes: 90,
      location: 'Demo City Hall, room 801',
      members: [
        { agencyId: 'metro-mobile-crisis', role: 'chair' },
        { agencyId: 'metro-esp', role: 'member' },
        { agencyId: 'northside-housing', role: 'member' },
        { agencyId: 'demo-action', role: 'member' },
        { agencyId: 'demo-schools', role: 'member' },
        { agencyId: 'district-probation', role: 'member' },
      ],
      caseCapacity: 0,
      nominationCutoffHours: 0,
    },
    {
      kind: 'cross-training',
      title: 'CIT cross-training: de-escalation and Section 12',
      rrule: 'FREQ=MONTHLY;INTERVAL=6;BYDAY=3WE',
      first: { nth: 3, weekday: 3, time: '13:00' },
      durationMinutes: 240,
      location: 'Demo City Police Academy, classroom 2',
      members: [
        { agencyId: 'metro-esp', role: 'chair' },
        { agencyId: 'metro-mobile-crisis', role: 'member' },
        { agencyId: 'harbor-recovery', role: 'member' },
      ],
      caseCapacity: 0,
      nominationCutoffHours: 0,
    },
  ],
};

/** Department display names, for what the seed prints. */
export const DEPARTMENT_NAMES = {
  [DEMO]: 'Demo City Police Department (in-house clinical unit, co-response)',
  [SJU]: 'Riverton Police Department (Social Justice Unit)',
};
