import { bhObservationSchema } from '@cit/contracts';
import {
  DEFAULT_SCREENING_RULES,
  SCREENING_OBSERVATIONS,
  coveredCategories,
  normalizeScreeningRules,
  normalizeText,
  screenIncident,
  uncoveredReasons,
  type RawScreeningRules,
  type ScreeningInput,
  type ScreeningRules,
} from './screening';
import { decodeScreeningRules, encodeScreeningRules } from './screening-config.codec';

const none: ScreeningRules = { callTypes: [], keywords: [], phrases: [], observations: [] };
const call = (over: Partial<ScreeningInput> = {}): ScreeningInput => ({
  callType: 'disturbance',
  observations: [],
  coding: { relatedTo: 'neither' },
  ...over,
});
const rulesOf = (raw: Partial<RawScreeningRules>): ScreeningRules => {
  const result = normalizeScreeningRules({ ...none, ...raw });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.rules;
};

describe('normalizeText', () => {
  it('lowercases, strips diacritics and turns punctuation into single spaces', () => {
    expect(normalizeText('  Off his MEDS!!  ')).toBe('off his meds');
    expect(normalizeText('Suicidé—Ñandú')).toBe('suicide nandu');
    expect(normalizeText("He OD'd; sect.12")).toBe('he od d sect 12');
    expect(normalizeText('\t\n')).toBe('');
  });
});

describe('coveredCategories', () => {
  it('maps relatedTo to the categories the officer already flagged', () => {
    expect([...coveredCategories('both')].sort()).toEqual(['mental-health', 'narcotics']);
    expect([...coveredCategories('mental-health')]).toEqual(['mental-health']);
    expect([...coveredCategories('narcotics')]).toEqual(['narcotics']);
    expect([...coveredCategories('neither')]).toEqual([]);
  });
});

describe('screenIncident', () => {
  describe('keywords (word stems)', () => {
    const rules = rulesOf({
      keywords: [
        { term: 'suicid', suggests: 'mental-health' },
        { term: 'cat', suggests: 'narcotics' },
      ],
    });

    it('matches a stem at the start of a word', () => {
      for (const narrative of ['RP states he is suicidal', 'talked about SUICIDE', 'suicidality noted', 'suicid']) {
        expect(screenIncident(call({ narrative }), rules)).toEqual([
          { kind: 'keyword', rule: 'suicid', suggests: 'mental-health' },
        ]);
      }
    });

    it('does not match inside a word', () => {
      expect(screenIncident(call({ narrative: 'caller gave the location of the dedication' }), rules)).toEqual([]);
      expect(screenIncident(call({ narrative: 'parasuicide' }), rules)).toEqual([]);
    });

    it('matches across diacritics and punctuation', () => {
      expect(screenIncident(call({ narrative: 'SUICIDÉ...' }), rules)).toHaveLength(1);
      expect(screenIncident(call({ narrative: 'cat-like' }), rules)).toEqual([
        { kind: 'keyword', rule: 'cat', suggests: 'narcotics' },
      ]);
    });

    it('reports each rule once however often it matches', () => {
      expect(screenIncident(call({ narrative: 'suicidal, suicide, suicidal' }), rules)).toHaveLength(1);
    });
  });

  describe('phrases (whole-word sequences)', () => {
    const rules = rulesOf({
      phrases: [
        { term: 'off his meds', suggests: 'mental-health' },
        { term: 'Section 12', suggests: 'mental-health' },
        { term: 'OD', suggests: 'narcotics' },
      ],
    });

    it('matches normalized whole-word sequences', () => {
      expect(screenIncident(call({ narrative: 'Mother says he is OFF HIS MEDS, again.' }), rules)).toEqual([
        { kind: 'phrase', rule: 'off his meds', suggests: 'mental-health' },
      ]);
      expect(screenIncident(call({ narrative: 'clinician requested a section-12' }), rules)).toEqual([
        { kind: 'phrase', rule: 'section 12', suggests: 'mental-health' },
      ]);
      expect(screenIncident(call({ narrative: "friend OD'd in the car" }), rules)).toEqual([
        { kind: 'phrase', rule: 'od', suggests: 'narcotics' },
      ]);
    });

    it('does not match partial words, other word orders or gaps', () => {
      for (const narrative of [
        'off his medication',
        'his meds were off',
        'off of his meds',
        'section 120 of the lease',
        'odor of gas',
        'period',
      ]) {
        expect(screenIncident(call({ narrative }), rules)).toEqual([]);
      }
    });
  });

  describe('call types', () => {
    const rules = rulesOf({ callTypes: [{ term: 'welfare-check', suggests: 'mental-health' }] });

    it('match exactly, case-insensitively', () => {
      expect(screenIncident(call({ callType: 'WELFARE-CHECK' }), rules)).toEqual([
        { kind: 'call-type', rule: 'welfare-check', suggests: 'mental-health' },
      ]);
      expect(screenIncident(call({ callType: ' welfare-check ' }), rules)).toHaveLength(1);
    });

    it('do not match by prefix or normalization', () => {
      expect(screenIncident(call({ callType: 'welfare-check-2' }), rules)).toEqual([]);
      expect(screenIncident(call({ callType: 'welfare check' }), rules)).toEqual([]);
    });
  });

  describe('observations', () => {
    const rules = rulesOf({
      observations: [
        { observation: 'suicidal-statements', suggests: 'mental-health' },
        { observation: 'overdose', suggests: 'narcotics' },
      ],
    });

    it('map an observation the officer recorded to the category it implies', () => {
      expect(screenIncident(call({ observations: ['overdose'] }), rules)).toEqual([
        { kind: 'observation', rule: 'overdose', suggests: 'narcotics' },
      ]);
      expect(screenIncident(call({ observations: ['suicidal-statements', 'weapon-present'] }), rules)).toEqual([
        { kind: 'observation', rule: 'suicidal-statements', suggests: 'mental-health' },
      ]);
      expect(screenIncident(call({ observations: ['weapon-present'] }), rules)).toEqual([]);
    });
  });

  describe('the officer coding', () => {
    const input = {
      callType: 'welfare-check',
      narrative: 'suicidal statements, narcan administered',
      observations: ['overdose'],
    };

    it('neither: every category may be suggested', () => {
      const reasons = screenIncident({ ...input, coding: { relatedTo: 'neither' } }, DEFAULT_SCREENING_RULES);
      expect(new Set(reasons.map((r) => r.suggests))).toEqual(new Set(['mental-health', 'narcotics']));
    });

    it('mental-health covers mental-health; narcotics reasons remain', () => {
      const reasons = screenIncident({ ...input, coding: { relatedTo: 'mental-health' } }, DEFAULT_SCREENING_RULES);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.every((r) => r.suggests === 'narcotics')).toBe(true);
    });

    it('narcotics covers narcotics; mental-health reasons remain', () => {
      const reasons = screenIncident({ ...input, coding: { relatedTo: 'narcotics' } }, DEFAULT_SCREENING_RULES);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.every((r) => r.suggests === 'mental-health')).toBe(true);
    });

    it('both covers everything: nothing to review', () => {
      expect(screenIncident({ ...input, coding: { relatedTo: 'both' } }, DEFAULT_SCREENING_RULES)).toEqual([]);
    });

    it('uncoveredReasons filters stored reasons by a new coding', () => {
      const reasons = screenIncident({ ...input, coding: { relatedTo: 'neither' } }, DEFAULT_SCREENING_RULES);
      expect(uncoveredReasons(reasons, 'both')).toEqual([]);
      expect(uncoveredReasons(reasons, 'narcotics').every((r) => r.suggests === 'mental-health')).toBe(true);
      expect(uncoveredReasons(reasons, 'neither')).toEqual(reasons);
    });
  });

  it('returns reasons in a stable order: call type, observations, keywords, phrases', () => {
    const reasons = screenIncident(
      call({ callType: 'Person-In-Crisis', narrative: 'hearing voices and paranoid', observations: ['intoxication'] }),
      DEFAULT_SCREENING_RULES,
    );
    expect(reasons).toEqual([
      { kind: 'call-type', rule: 'person-in-crisis', suggests: 'mental-health' },
      { kind: 'observation', rule: 'intoxication', suggests: 'narcotics' },
      { kind: 'keyword', rule: 'paranoi', suggests: 'mental-health' },
      { kind: 'phrase', rule: 'hearing voices', suggests: 'mental-health' },
    ]);
  });

  it('reasons carry configured terms only, never narrative text', () => {
    const narrative = 'John Doe, DOB 01/02/1980, said he was suicidal and off his meds at 12 Elm St';
    const reasons = screenIncident(call({ narrative }), DEFAULT_SCREENING_RULES);
    expect(reasons.map((r) => r.rule)).toEqual(['suicid', 'off his meds']);
    expect(JSON.stringify(reasons)).not.toMatch(/john|doe|elm|1980|suicidal/i);
  });

  it('without a narrative only call type and observations are screened', () => {
    expect(screenIncident(call({ narrative: undefined }), DEFAULT_SCREENING_RULES)).toEqual([]);
    expect(screenIncident(call({ narrative: '' }), DEFAULT_SCREENING_RULES)).toEqual([]);
    expect(screenIncident(call({ narrative: ' ... ' }), DEFAULT_SCREENING_RULES)).toEqual([]);
  });

  it('with no rules nothing is suggested', () => {
    expect(
      screenIncident(call({ callType: 'welfare-check', narrative: 'suicidal', observations: ['overdose'] }), none),
    ).toEqual([]);
  });
});

describe('DEFAULT_SCREENING_RULES', () => {
  it('are already normalized and valid', () => {
    const result = normalizeScreeningRules(DEFAULT_SCREENING_RULES);
    expect(result).toEqual({ ok: true, rules: DEFAULT_SCREENING_RULES });
  });

  it('only use observation codes of the BH coding contract', () => {
    expect([...SCREENING_OBSERVATIONS]).toEqual(bhObservationSchema.options);
  });

  it.each([
    ['Mother reports he has not slept in days and is hearing voices', 'mental-health'],
    ['Subject stated he wanted to kill himself', 'mental-health'],
    ['RP says her son is bipolar and stopped his medication', 'mental-health'],
    ['subject appeared paranoid, believed neighbors were watching', 'mental-health'],
    ['clinician completed a pink paper', 'mental-health'],
    ['two doses of Narcan administered by EMS', 'narcotics'],
    ['suspected fentanyl, subject in withdrawal', 'narcotics'],
    ['family seeking a section 35', 'narcotics'],
  ])('flag realistic narratives: %s', (narrative, category) => {
    const reasons = screenIncident(call({ narrative }), DEFAULT_SCREENING_RULES);
    expect(reasons.map((r) => r.suggests)).toContain(category);
  });

  it.each([
    'Vehicle parked in front of the hydrant, owner located and moved it',
    'Loud music complaint, occupants agreed to turn it down',
    'Shoplifting at the pharmacy, suspect identified on video',
    'Caller reported an odor of gas near the school',
  ])('leave routine narratives alone: %s', (narrative) => {
    expect(screenIncident(call({ narrative }), DEFAULT_SCREENING_RULES)).toEqual([]);
  });

  it.each(['welfare-check', 'suicide-threat', 'person-in-crisis'])('flag the %s call type', (callType) => {
    expect(screenIncident(call({ callType }), DEFAULT_SCREENING_RULES)).toEqual([
      { kind: 'call-type', rule: callType, suggests: 'mental-health' },
    ]);
  });
});

describe('normalizeScreeningRules', () => {
  it('normalizes terms and collapses duplicates of the same category', () => {
    const result = normalizeScreeningRules({
      callTypes: [
        { term: ' Welfare-Check ', suggests: 'mental-health' },
        { term: 'WELFARE-CHECK', suggests: 'mental-health' },
      ],
      keywords: [
        { term: 'Psych', suggests: 'mental-health' },
        { term: 'psych', suggests: 'mental-health' },
        { term: 'psych', suggests: 'narcotics' },
      ],
      phrases: [
        { term: 'Off his  meds!', suggests: 'mental-health' },
        { term: 'Sección 12', suggests: 'mental-health' },
      ],
      observations: [
        { observation: 'overdose', suggests: 'narcotics' },
        { observation: 'overdose', suggests: 'narcotics' },
      ],
    });
    expect(result).toEqual({
      ok: true,
      rules: {
        callTypes: [{ term: 'welfare-check', suggests: 'mental-health' }],
        keywords: [
          { term: 'psych', suggests: 'mental-health' },
          { term: 'psych', suggests: 'narcotics' },
        ],
        phrases: [
          { term: 'off his meds', suggests: 'mental-health' },
          { term: 'seccion 12', suggests: 'mental-health' },
        ],
        observations: [{ observation: 'overdose', suggests: 'narcotics' }],
      },
    });
  });

  it('rejects terms that would match nothing or nearly everything, naming each entry', () => {
    const result = normalizeScreeningRules({
      callTypes: [{ term: '   ', suggests: 'mental-health' }],
      keywords: [
        { term: '!!!', suggests: 'mental-health' },
        { term: 'od', suggests: 'narcotics' },
        { term: 'off meds', suggests: 'mental-health' },
        { term: 'x'.repeat(41), suggests: 'mental-health' },
      ],
      phrases: [
        { term: '--', suggests: 'mental-health' },
        { term: 'a b c d e f g h i', suggests: 'mental-health' },
      ],
      observations: [],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual([
      'callTypes.0.term',
      'keywords.0.term',
      'keywords.1.term',
      'keywords.2.term',
      'keywords.3.term',
      'phrases.0.term',
      'phrases.1.term',
    ]);
  });

  it('enforces the maximum number of entries', () => {
    const keywords = Array.from({ length: 201 }, (_, i) => ({ term: `term${i}`, suggests: 'mental-health' as const }));
    const result = normalizeScreeningRules({ ...none, keywords });
    expect(result).toEqual({ ok: false, issues: [{ path: 'keywords', message: 'at most 200 entries' }] });
  });
});

describe('screening config codec', () => {
  it('round-trips rules through "<category>:<term>" columns', () => {
    const columns = encodeScreeningRules(DEFAULT_SCREENING_RULES);
    expect(columns.keywords).toContain('mental-health:suicid');
    expect(columns.observations).toContain('narcotics:overdose');
    expect(decodeScreeningRules(columns)).toEqual(DEFAULT_SCREENING_RULES);
  });

  it('keeps a call type that itself contains a colon', () => {
    const rules = { ...none, callTypes: [{ term: 'code:10-96', suggests: 'mental-health' as const }] };
    expect(decodeScreeningRules(encodeScreeningRules(rules))).toEqual(rules);
  });

  it('skips entries that do not decode instead of failing', () => {
    expect(
      decodeScreeningRules({
        callTypes: ['welfare-check'],
        keywords: ['alcohol:beer', 'narcotics:'],
        phrases: [],
        observations: ['narcotics:sneezing'],
      }),
    ).toEqual(none);
  });
});
