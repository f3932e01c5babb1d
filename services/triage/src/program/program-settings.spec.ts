import {
  DEFAULT_PROGRAM_SETTINGS,
  isWithinBusinessHours,
  programSettingsSchema,
  reviewReasonFor,
  type ProgramSettings,
} from './program-settings';

const s = (patch: Partial<ProgramSettings>): ProgramSettings => ({ ...DEFAULT_PROGRAM_SETTINGS, ...patch });

describe('reviewReasonFor', () => {
  it.each([
    ['policy none, routine', s({}), 'routine', false, null],
    ['policy all, routine', s({ reviewPolicy: { mode: 'all' } }), 'routine', false, 'policy'],
    ['policy all, imminent never waits', s({ reviewPolicy: { mode: 'all' } }), 'imminent', false, null],
    [
      'risk-levels includes',
      s({ reviewPolicy: { mode: 'risk-levels', riskLevels: ['urgent'] } }),
      'urgent',
      false,
      'policy',
    ],
    [
      'risk-levels excludes',
      s({ reviewPolicy: { mode: 'risk-levels', riskLevels: ['urgent'] } }),
      'routine',
      false,
      null,
    ],
    ['consultation always waits', s({}), 'none', true, 'consultation-required'],
    ['consultation, imminent does not wait', s({}), 'imminent', true, null],
    ['social-justice: supervisor reviews all calls', s({ model: 'social-justice' }), 'none', false, 'policy'],
    ['clear: coordinator reviews calls', s({ model: 'clear' }), 'routine', false, 'policy'],
    ['co-response with policy none', s({ model: 'co-response' }), 'urgent', false, null],
  ] as const)('%s', (_name, settings, riskLevel, consultationRequired, expected) => {
    expect(reviewReasonFor(settings, { riskLevel, consultationRequired })).toBe(expected);
  });
});

describe('isWithinBusinessHours (department time zone)', () => {
  const hours = s({ timeZone: 'America/New_York' });
  it.each([
    ['Wednesday 10:00 EST', '2026-12-02T15:00:00Z', true],
    ['Wednesday 07:59 EST', '2026-12-02T12:59:00Z', false],
    ['Wednesday 17:00 EST (closes)', '2026-12-02T22:00:00Z', false],
    ['Saturday noon', '2026-12-05T17:00:00Z', false],
    ['Monday 08:00 EDT (summer offset)', '2026-06-01T12:00:00Z', true],
  ])('%s', (_name, at, expected) => {
    expect(isWithinBusinessHours(hours, new Date(at))).toBe(expected);
  });
});

describe('programSettingsSchema', () => {
  it('accepts the defaults and refuses an unknown time zone', () => {
    expect(programSettingsSchema.safeParse(DEFAULT_PROGRAM_SETTINGS).success).toBe(true);
    expect(programSettingsSchema.safeParse(s({ timeZone: 'Nowhere/Land' })).success).toBe(false);
  });
});
