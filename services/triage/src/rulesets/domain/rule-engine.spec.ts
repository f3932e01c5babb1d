import { evaluate, type EvaluationOptions } from './rule-engine';
import type { Rule, Ruleset } from './ruleset';
import { triageFacts, type TriageFacts } from './triage-facts';

const facts = (patch: Partial<TriageFacts> = {}): TriageFacts => ({
  ...triageFacts(
    {
      callType: 'disturbance',
      encounter: 'non-criminal',
      source: 'api',
      relatedTo: 'neither',
      observations: [],
      suspectedUsing: ['N'],
      subjectCount: 1,
    },
    { crisisPlanOnFile: false, repeatContactRuleMet: false, programModel: 'in-house-clinical' },
  ),
  ...patch,
});
const rules = (...r: Rule[]): Ruleset => ({ name: 't', rules: r });
const rule = (id: string, when: Rule['when'], then: Rule['then']): Rule => ({ id, description: id, when, then });
const IN_HOUSE: EvaluationOptions = { followUpPathway: 'clinician-outreach', assignsSectors: false };

describe('evaluate', () => {
  it.each([
    {
      name: 'all: every part must match; why names each',
      ruleset: rules(
        rule(
          'r',
          {
            all: [
              { fact: 'relatedTo', equals: 'mental-health' },
              { fact: 'observations', includes: 'trauma' },
            ],
          },
          { risk: 'routine', pathways: ['clinician-outreach'] },
        ),
      ),
      facts: facts({ relatedTo: 'mental-health', observations: ['trauma'] }),
      risk: 'routine',
      fired: [['r', 'relatedTo is mental-health and observations include trauma']],
    },
    {
      name: 'all: one part missing, nothing fires',
      ruleset: rules(
        rule(
          'r',
          {
            all: [
              { fact: 'relatedTo', equals: 'mental-health' },
              { fact: 'observations', includes: 'trauma' },
            ],
          },
          { risk: 'routine', pathways: ['clinician-outreach'] },
        ),
      ),
      facts: facts({ relatedTo: 'mental-health' }),
      risk: 'none',
      fired: [['no-pathway', 'no rule asked for a pathway: no further action']],
    },
    {
      name: 'any: why names the branch that matched',
      ruleset: rules(
        rule(
          'r',
          {
            any: [
              { fact: 'callType', equals: 'overdose' },
              { fact: 'observations', includesAny: ['overdose', 'intoxication'] },
            ],
          },
          { pathways: ['partner-referral'] },
        ),
      ),
      facts: facts({ observations: ['intoxication'] }),
      risk: 'none',
      fired: [['r', 'observations include intoxication']],
    },
    {
      name: 'not and in',
      ruleset: rules(
        rule(
          'r',
          {
            all: [
              { not: { fact: 'encounter', equals: 'criminal' } },
              { fact: 'callType', in: ['disturbance', 'noise'] },
            ],
          },
          { pathways: ['clinician-outreach'] },
        ),
      ),
      facts: facts(),
      risk: 'none',
      fired: [['r', 'not (encounter is criminal) and callType is disturbance (one of [disturbance, noise])']],
    },
    {
      name: 'atLeast on a number fact',
      ruleset: rules(
        rule('r', { fact: 'subjectCount', atLeast: 3 }, { risk: 'urgent', pathways: ['clinician-outreach'] }),
      ),
      facts: facts({ subjectCount: 4 }),
      risk: 'urgent',
      fired: [['r', 'subjectCount is 4 (at least 3)']],
    },
    {
      name: 'highest risk wins; stop ends the run',
      ruleset: rules(
        rule('a', { fact: 'relatedTo', equals: 'both' }, { risk: 'routine', pathways: ['partner-referral'] }),
        rule('b', { fact: 'relatedTo', equals: 'both' }, { risk: 'urgent', stop: true }),
        rule('c', { fact: 'relatedTo', equals: 'both' }, { risk: 'imminent' }),
      ),
      facts: facts({ relatedTo: 'both' }),
      risk: 'urgent',
      fired: [
        ['a', 'relatedTo is both'],
        ['b', 'relatedTo is both'],
      ],
    },
  ])('$name', ({ ruleset, facts: f, risk, fired }) => {
    const e = evaluate(ruleset, f, IN_HOUSE);
    expect(e.riskLevel).toBe(risk);
    expect(e.fired.map((x) => [x.ruleId, x.why])).toEqual(fired);
  });

  it('imminent risk always asks for mobile crisis and makes 164.512(j) available (policy)', () => {
    const e = evaluate(
      rules(rule('r', { fact: 'relatedTo', equals: 'mental-health' }, { risk: 'imminent' })),
      facts({ relatedTo: 'mental-health' }),
      IN_HOUSE,
    );
    expect(e.pathways).toEqual(['mobile-crisis-now']);
    expect(e.imminentThreat164512j).toBe(true);
    expect(e.fired.map((f) => [f.ruleId, f.path])).toEqual([
      ['r', 'rules.0'],
      ['imminent-risk-mobile-crisis', 'policy'],
    ]);
  });

  it.each([
    [{ courtInvolved: true }, ['court-involved']],
    [{ openInvestigation: true }, ['open-investigation']],
    [{ courtInvolved: true, openInvestigation: true }, ['court-involved', 'open-investigation']],
    [{}, []],
  ])('consultation before referral for %j (policy, whatever the ruleset)', (patch, reasons) => {
    const e = evaluate(
      rules(rule('r', { fact: 'relatedTo', equals: 'neither' }, { pathways: ['partner-referral'] })),
      facts(patch),
      IN_HOUSE,
    );
    expect(e.consultationReasons).toEqual(reasons);
    expect(e.fired.filter((f) => f.ruleId.startsWith('consultation-')).length).toBe(reasons.length);
  });

  it.each([
    [
      'co-response turns clinician outreach into co-responder follow-up',
      { followUpPathway: 'co-responder-follow-up', assignsSectors: false } as const,
      ['co-responder-follow-up', 'partner-referral'],
      null,
    ],
    [
      'social justice assigns a sector from the needs',
      { followUpPathway: 'clinician-outreach', assignsSectors: true } as const,
      ['clinician-outreach', 'partner-referral'],
      'seniors',
    ],
    ['in-house: no sector', IN_HOUSE, ['clinician-outreach', 'partner-referral'], null],
  ])('%s', (_n, options, pathways, sector) => {
    const e = evaluate(
      rules(
        rule(
          'r',
          { fact: 'subject.senior', equals: true },
          { needs: ['elder'], pathways: ['partner-referral', 'clinician-outreach'] },
        ),
      ),
      facts({ 'subject.senior': true }),
      options,
    );
    expect(e.pathways).toEqual(pathways);
    expect(e.sector).toBe(sector);
  });

  it('no-further-action gives way to any other pathway', () => {
    const e = evaluate(
      rules(
        rule('a', { fact: 'relatedTo', equals: 'neither' }, { pathways: ['no-further-action'] }),
        rule('b', { fact: 'relatedTo', equals: 'neither' }, { pathways: ['partner-referral'] }),
      ),
      facts(),
      IN_HOUSE,
    );
    expect(e.pathways).toEqual(['partner-referral']);
  });
});
