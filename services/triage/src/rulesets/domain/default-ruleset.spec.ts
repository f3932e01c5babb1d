import { bhObservationSchema, bhRelatedToSchema, suspectedUsingSchema } from '@cit/contracts';
import { DEFAULT_RULESET } from './default-ruleset';
import { evaluate, type EvaluationOptions } from './rule-engine';
import { type Condition, validateRuleset } from './ruleset';
import { triageFacts, type TriageIncident } from './triage-facts';

const IN_HOUSE: EvaluationOptions = { followUpPathway: 'clinician-outreach', assignsSectors: false };

const base: TriageIncident = {
  callType: 'disturbance',
  disposition: null,
  district: 'sector-3',
  encounter: 'non-criminal',
  source: 'api',
  relatedTo: 'neither',
  observations: [],
  suspectedUsing: ['N'],
  subjectCount: 1,
  subject: {
    personId: 'per_1',
    language: 'en',
    flags: { juvenile: false, senior: false, veteran: false, experiencingHomelessness: false },
  },
};
type Flags = NonNullable<TriageIncident['subject']>['flags'];
const inc = (patch: Partial<TriageIncident> & { flags?: Partial<Flags> } = {}): TriageIncident => {
  const { flags, ...rest } = patch;
  return { ...base, ...rest, subject: { ...base.subject!, flags: { ...base.subject!.flags, ...flags } } };
};

interface Sample {
  name: string;
  incident: TriageIncident;
  crisisPlan?: boolean;
  repeat?: boolean;
  risk: string;
  needs: string[];
  pathways: string[];
  consultation?: string[];
}

// Realistic calls for service as intake codes them, with the decision the default rules must reach.
const SAMPLES: Sample[] = [
  {
    name: 'welfare check, suicidal statements, knife in hand',
    incident: inc({
      callType: 'welfare-check',
      relatedTo: 'mental-health',
      observations: ['suicidal-statements', 'weapon-present'],
    }),
    risk: 'imminent',
    needs: ['mental-health'],
    pathways: ['mobile-crisis-now', 'clinician-outreach'],
  },
  {
    name: 'suicide threat call, statements heard',
    incident: inc({ callType: 'suicide-threat', relatedTo: 'mental-health', observations: ['suicidal-statements'] }),
    risk: 'imminent',
    needs: ['mental-health'],
    pathways: ['mobile-crisis-now', 'clinician-outreach'],
  },
  {
    name: 'suicide attempt, transported voluntarily',
    incident: inc({
      callType: 'suicide-attempt',
      disposition: 'transported-voluntary',
      relatedTo: 'mental-health',
      observations: ['suicidal-statements', 'trauma'],
    }),
    risk: 'imminent',
    needs: ['mental-health', 'trauma'],
    pathways: ['mobile-crisis-now', 'clinician-outreach'],
  },
  {
    name: 'person in crisis brandishing a bat, psychosis',
    incident: inc({ callType: 'person-in-crisis', relatedTo: 'mental-health', observations: ['weapon-present'] }),
    risk: 'imminent',
    needs: ['mental-health'],
    pathways: ['mobile-crisis-now', 'clinician-outreach'],
  },
  {
    name: 'co-occurring crisis with a weapon, intoxicated',
    incident: inc({ relatedTo: 'both', observations: ['weapon-present', 'intoxication'], suspectedUsing: ['A'] }),
    risk: 'imminent',
    needs: ['mental-health', 'substance-use'],
    pathways: ['mobile-crisis-now', 'clinician-outreach', 'partner-referral'],
  },
  {
    name: 'weapon at a narcotics call, no mental-health indicator',
    incident: inc({
      callType: 'narcotics-complaint',
      relatedTo: 'narcotics',
      observations: ['weapon-present'],
      suspectedUsing: ['D'],
    }),
    risk: 'urgent',
    needs: ['substance-use'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'weapon at a burglary, no behavioral-health coding: criminal, no pathway',
    incident: inc({ callType: 'burglary', encounter: 'criminal', observations: ['weapon-present'] }),
    risk: 'none',
    needs: [],
    pathways: ['no-further-action'],
    consultation: ['open-investigation'],
  },
  {
    name: 'suicidal statements at a disturbance, no weapon',
    incident: inc({ relatedTo: 'mental-health', observations: ['suicidal-statements'] }),
    risk: 'urgent',
    needs: ['mental-health'],
    pathways: ['clinician-outreach'],
  },
  {
    name: 'overdose revived with naloxone',
    incident: inc({ callType: 'overdose', relatedTo: 'narcotics', observations: ['overdose'], suspectedUsing: ['D'] }),
    risk: 'urgent',
    needs: ['substance-use', 'overdose-follow-up'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'overdose call type, officer coded nothing',
    incident: inc({ callType: 'overdose' }),
    risk: 'urgent',
    needs: ['substance-use', 'overdose-follow-up'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'emotionally disturbed person, no indicators coded',
    incident: inc({ callType: 'emotionally-disturbed-person' }),
    risk: 'routine',
    needs: ['mental-health'],
    pathways: ['clinician-outreach'],
  },
  {
    name: 'welfare check, possibly mental health, nothing observed',
    incident: inc({ callType: 'welfare-check', relatedTo: 'mental-health' }),
    risk: 'routine',
    needs: ['mental-health'],
    pathways: ['clinician-outreach'],
  },
  {
    name: 'public intoxication, alcohol',
    incident: inc({
      callType: 'public-intoxication',
      relatedTo: 'narcotics',
      observations: ['intoxication'],
      suspectedUsing: ['A'],
    }),
    risk: 'routine',
    needs: ['substance-use'],
    pathways: ['partner-referral'],
  },
  {
    name: 'intoxication observed, coding neither (alcohol at a noise complaint)',
    incident: inc({ callType: 'noise-complaint', observations: ['intoxication'], suspectedUsing: ['A'] }),
    risk: 'routine',
    needs: ['substance-use'],
    pathways: ['partner-referral'],
  },
  {
    name: 'drug use suspected in a mental-health call',
    incident: inc({ relatedTo: 'mental-health', suspectedUsing: ['D'] }),
    risk: 'routine',
    needs: ['mental-health', 'substance-use'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'drug use suspected, coding neither: not a behavioral-health call',
    incident: inc({ callType: 'traffic-stop', suspectedUsing: ['D'] }),
    risk: 'none',
    needs: [],
    pathways: ['no-further-action'],
  },
  {
    name: 'computer equipment suspected (C): no behavioral-health meaning',
    incident: inc({ callType: 'fraud', suspectedUsing: ['C'] }),
    risk: 'none',
    needs: [],
    pathways: ['no-further-action'],
  },
  {
    name: 'autistic adult wandering, developmental disability',
    incident: inc({
      callType: 'missing-person',
      relatedTo: 'mental-health',
      observations: ['developmental-disability'],
    }),
    risk: 'routine',
    needs: ['mental-health', 'developmental-disability'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'developmental disability, coding neither',
    incident: inc({ callType: 'disturbance', observations: ['developmental-disability'] }),
    risk: 'routine',
    needs: ['developmental-disability'],
    pathways: ['partner-referral'],
  },
  {
    name: 'trauma after an assault witnessed',
    incident: inc({ callType: 'assault', encounter: 'criminal', observations: ['trauma'] }),
    risk: 'routine',
    needs: ['trauma'],
    pathways: ['clinician-outreach'],
    consultation: ['open-investigation'],
  },
  {
    name: 'juvenile in crisis at school',
    incident: inc({ callType: 'person-in-crisis', relatedTo: 'mental-health', flags: { juvenile: true } }),
    risk: 'routine',
    needs: ['mental-health', 'youth', 'family-support'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'juvenile, suicidal statements',
    incident: inc({ relatedTo: 'mental-health', observations: ['suicidal-statements'], flags: { juvenile: true } }),
    risk: 'urgent',
    needs: ['mental-health', 'youth', 'family-support'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'juvenile at a shoplifting, no indicators',
    incident: inc({ callType: 'shoplifting', encounter: 'criminal', flags: { juvenile: true } }),
    risk: 'none',
    needs: [],
    pathways: ['no-further-action'],
    consultation: ['open-investigation'],
  },
  {
    name: 'senior with dementia, confused at night',
    incident: inc({ callType: 'welfare-check', relatedTo: 'mental-health', flags: { senior: true } }),
    risk: 'routine',
    needs: ['mental-health', 'elder'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'veteran, PTSD episode',
    incident: inc({ relatedTo: 'mental-health', observations: ['trauma'], flags: { veteran: true } }),
    risk: 'routine',
    needs: ['mental-health', 'trauma'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'person experiencing homelessness, trespass, no indicators',
    incident: inc({ callType: 'trespass', flags: { experiencingHomelessness: true } }),
    risk: 'routine',
    needs: ['housing'],
    pathways: ['partner-referral'],
  },
  {
    name: 'person experiencing homelessness, intoxicated in the cold',
    incident: inc({
      callType: 'welfare-check',
      relatedTo: 'narcotics',
      observations: ['intoxication'],
      suspectedUsing: ['A'],
      flags: { experiencingHomelessness: true },
    }),
    risk: 'routine',
    needs: ['substance-use', 'housing'],
    pathways: ['partner-referral'],
  },
  {
    name: 'domestic disturbance, mental-health indicator',
    incident: inc({ callType: 'domestic-disturbance', relatedTo: 'mental-health' }),
    risk: 'routine',
    needs: ['mental-health', 'family-support'],
    pathways: ['clinician-outreach'],
  },
  {
    name: 'arrest at a mental-health call: consultation before referral',
    incident: inc({
      callType: 'disturbance',
      disposition: 'arrest',
      encounter: 'criminal',
      relatedTo: 'mental-health',
    }),
    risk: 'routine',
    needs: ['mental-health'],
    pathways: ['clinician-outreach'],
    consultation: ['court-involved', 'open-investigation'],
  },
  {
    name: 'warrant service on a person with a substance-use history',
    incident: inc({ callType: 'warrant-service', relatedTo: 'narcotics', suspectedUsing: ['D'] }),
    risk: 'routine',
    needs: ['substance-use'],
    pathways: ['partner-referral'],
    consultation: ['court-involved'],
  },
  {
    name: 'imminent danger during an arrest: mobile crisis still asked for, consultation recorded',
    incident: inc({
      callType: 'assault',
      disposition: 'arrest',
      encounter: 'criminal',
      relatedTo: 'mental-health',
      observations: ['suicidal-statements', 'weapon-present'],
    }),
    risk: 'imminent',
    needs: ['mental-health'],
    pathways: ['mobile-crisis-now', 'clinician-outreach'],
    consultation: ['court-involved', 'open-investigation'],
  },
  {
    name: 'released from custody yesterday, check-in',
    incident: inc({ callType: 're-entry-check', relatedTo: 'narcotics' }),
    risk: 'routine',
    needs: ['substance-use', 're-entry'],
    pathways: ['clinician-outreach', 'partner-referral'],
  },
  {
    name: 'crisis plan on file, mental-health call',
    incident: inc({ relatedTo: 'mental-health' }),
    crisisPlan: true,
    risk: 'routine',
    needs: ['mental-health'],
    pathways: ['clinician-outreach'],
  },
  {
    name: 'crisis plan on file, unrelated parking complaint',
    incident: inc({ callType: 'parking-complaint' }),
    crisisPlan: true,
    risk: 'none',
    needs: [],
    pathways: ['no-further-action'],
  },
  {
    name: 'third mental-health call in 30 days: case conference',
    incident: inc({ relatedTo: 'mental-health' }),
    repeat: true,
    risk: 'urgent',
    needs: ['mental-health'],
    pathways: ['clinician-outreach', 'case-conference-nomination'],
  },
  {
    name: 'noise complaint, nothing coded',
    incident: inc({ callType: 'noise-complaint' }),
    risk: 'none',
    needs: [],
    pathways: ['no-further-action'],
  },
  {
    name: 'imported historical incident, narcotics',
    incident: inc({ source: 'import', relatedTo: 'narcotics', suspectedUsing: ['D'] }),
    risk: 'routine',
    needs: ['substance-use'],
    pathways: ['partner-referral'],
  },
  {
    name: 'no subject recorded (caller only), mental-health call',
    incident: { ...inc({ callType: 'welfare-check', relatedTo: 'mental-health' }), subject: null, subjectCount: 0 },
    risk: 'routine',
    needs: ['mental-health'],
    pathways: ['clinician-outreach'],
  },
];

describe('default ruleset', () => {
  it('is a valid ruleset', () => {
    expect(validateRuleset(JSON.parse(JSON.stringify(DEFAULT_RULESET)))).toEqual({
      ok: true,
      ruleset: DEFAULT_RULESET,
    });
  });

  it('has at least 30 sample incidents', () => expect(SAMPLES.length).toBeGreaterThanOrEqual(30));

  it.each(SAMPLES)('$name', (s) => {
    const facts = triageFacts(s.incident, {
      crisisPlanOnFile: s.crisisPlan ?? false,
      repeatContactRuleMet: s.repeat ?? false,
      programModel: 'in-house-clinical',
    });
    const e = evaluate(DEFAULT_RULESET, facts, IN_HOUSE);
    expect({
      risk: e.riskLevel,
      needs: [...e.needs].sort(),
      pathways: e.pathways,
      consultation: e.consultationReasons,
      imminent164512j: e.imminentThreat164512j,
    }).toEqual({
      risk: s.risk,
      needs: [...s.needs].sort(),
      pathways: s.pathways,
      consultation: [...(s.consultation ?? [])].sort(),
      imminent164512j: s.risk === 'imminent',
    });
    // Every decision explains itself: at least one rule or policy fired, each with its reason.
    expect(e.fired.length).toBeGreaterThan(0);
    for (const f of e.fired) expect(f.why.length).toBeGreaterThan(0);
  });

  it('covers every coding, observation and subject flag intake records', () => {
    const used = new Set<string>();
    const walk = (c: Condition): void => {
      if ('all' in c) return c.all.forEach(walk);
      if ('any' in c) return c.any.forEach(walk);
      if ('not' in c) return walk(c.not);
      const values =
        'equals' in c
          ? [c.equals]
          : 'in' in c
            ? c.in
            : 'includes' in c
              ? [c.includes]
              : 'includesAny' in c
                ? c.includesAny
                : [];
      for (const v of values) used.add(`${c.fact}=${String(v)}`);
    };
    DEFAULT_RULESET.rules.forEach((r) => walk(r.when));
    const required = [
      ...bhObservationSchema.options.map((o) => `observations=${o}`),
      ...bhRelatedToSchema.options.filter((r) => r !== 'neither').map((r) => `relatedTo=${r}`),
      // C (computer equipment) and N (not applicable) say nothing about behavioral health.
      ...suspectedUsingSchema.options.filter((u) => u !== 'C' && u !== 'N').map((u) => `suspectedUsing=${u}`),
      ...['juvenile', 'senior', 'veteran', 'experiencingHomelessness'].map((f) => `subject.${f}=true`),
    ];
    expect(required.filter((r) => !used.has(r))).toEqual([]);
  });
});
