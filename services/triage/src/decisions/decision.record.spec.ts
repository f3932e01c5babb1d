import { triageCompletedData as triageCompletedSchema } from '@cit/contracts';
import { DEFAULT_PROGRAM_SETTINGS } from '../program/program-settings';
import { DEFAULT_RULESET } from '../rulesets/domain/default-ruleset';
import type { TriageIncident } from '../rulesets/domain/triage-facts';
import { decide } from './domain/decide';
import { needsFollowUp, triageCompletedData, type DecisionRecord } from './decision.record';

const incident = (patch: Partial<TriageIncident> = {}): TriageIncident => ({
  callType: 'welfare-check',
  disposition: null,
  district: 'sector-3',
  encounter: 'non-criminal',
  source: 'api',
  relatedTo: 'mental-health',
  observations: [],
  suspectedUsing: ['N'],
  subjectCount: 1,
  subject: {
    personId: 'per_1',
    language: 'es',
    flags: { juvenile: false, senior: true, veteran: false, experiencingHomelessness: false },
  },
  ...patch,
});

function record(i: TriageIncident, patch: Partial<DecisionRecord> = {}): DecisionRecord {
  const o = decide({
    incident: i,
    settings: DEFAULT_PROGRAM_SETTINGS,
    ruleset: DEFAULT_RULESET,
    crisisPlanOnFile: false,
    repeatContactRuleMet: false,
  });
  return {
    id: 'tri_2',
    departmentId: 'd',
    incidentId: 'inc_1',
    personId: i.subject?.personId ?? null,
    rulesetVersion: 0,
    inputDigest: 'x',
    riskLevel: o.riskLevel,
    needs: o.needs,
    pathways: o.pathways,
    sector: o.sector,
    unit: null,
    assigneeId: null,
    ageRange: o.ageRange,
    language: o.language,
    area: o.area,
    imminent164512j: o.imminentThreat164512j,
    consultationReasons: o.consultationReasons,
    consultedBy: null,
    consultedAt: null,
    crisisPlanOnFile: false,
    fired: o.fired,
    decidedBy: 'rules',
    deciderId: null,
    status: 'final',
    reviewReason: o.reviewReason,
    supersedesId: null,
    supersedeReason: null,
    supersededById: null,
    reasonCiphertext: 'enc:v1:secret',
    caseId: null,
    correlationId: 'c',
    decidedAt: new Date('2026-12-02T10:00:00Z'),
    emittedAt: null,
    ...patch,
  };
}

describe('cit.triage.completed.v1 from a decision', () => {
  it.each([
    [
      'routine senior, Spanish speaker',
      record(incident()),
      { riskLevel: 'routine', ageRange: 'senior', language: 'es', area: 'sector-3' },
    ],
    [
      'imminent: 164.512(j) available',
      record(incident({ observations: ['suicidal-statements', 'weapon-present'] })),
      { riskLevel: 'imminent', legalBasis: { imminentThreat164512j: true, consent: 'not-recorded' } },
    ],
    [
      'consultation recorded',
      record(incident({ encounter: 'criminal', disposition: 'arrest' }), {
        consultedBy: 'sergeant-1',
        consultedAt: new Date('2026-12-02T11:00:00Z'),
        decidedBy: 'supervisor',
        deciderId: 'sup-1',
      }),
      {
        consultation: { required: true, reasons: ['court-involved', 'open-investigation'], consultedBy: 'sergeant-1' },
      },
    ],
    [
      'override superseding an earlier decision',
      record(incident(), {
        supersedesId: 'tri_1',
        supersedeReason: 'override',
        decidedBy: 'supervisor',
        deciderId: 'sup-1',
      }),
      { supersedes: 'tri_1', supersedeReason: 'override', decidedBy: 'supervisor' },
    ],
    [
      'no subject: no person, unknown age',
      record(incident({ subject: null, subjectCount: 0 })),
      { ageRange: 'unknown' },
    ],
  ])('%s: valid against the contract, no PHI', (_n, d, expected) => {
    const data = triageCompletedData(d);
    expect(triageCompletedSchema.parse(data)).toEqual(data);
    expect(data).toMatchObject(expected);
    expect(JSON.stringify(data)).not.toContain('enc:v1');
  });

  it.each([
    [{ personId: 'per_1', pathways: ['clinician-outreach'] }, true],
    [{ personId: null, pathways: ['clinician-outreach'] }, false],
    [{ personId: 'per_1', pathways: ['no-further-action'] }, false],
  ] as const)('needsFollowUp(%j) = %s', (d, expected) => {
    expect(needsFollowUp({ personId: d.personId, pathways: [...d.pathways] })).toBe(expected);
  });
});
