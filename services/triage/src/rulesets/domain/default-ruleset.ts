import type { Condition, Ruleset } from './ruleset';

const BH_RELATED: Condition = { fact: 'relatedTo', in: ['mental-health', 'narcotics', 'both'] };
const CRISIS_CALL_TYPES = ['suicide-threat', 'suicide-attempt', 'person-in-crisis', 'emotionally-disturbed-person'];

/**
 * The ruleset every department starts with (version 0), drawn from Metro Boston CIT practice.
 * It covers every behavioral-health coding, observation and subject flag intake records
 * (default-ruleset.spec.ts checks the coverage and a table of sample incidents). Plain JSON:
 * an admin can download it, change it and upload it as the department's own.
 */
export const DEFAULT_RULESET: Ruleset = {
  name: 'CIT Platform default triage rules',
  description:
    'Imminent danger goes to the CBHC Mobile Crisis Intervention team; other behavioral-health calls get clinician outreach or a partner referral by need.',
  rules: [
    {
      id: 'suicidal-with-weapon',
      description: 'Suicidal statements with a weapon present: imminent danger.',
      when: {
        all: [
          { fact: 'observations', includes: 'suicidal-statements' },
          { fact: 'observations', includes: 'weapon-present' },
        ],
      },
      then: { risk: 'imminent', needs: ['mental-health'], pathways: ['mobile-crisis-now'] },
    },
    {
      id: 'suicide-attempt-or-threat-call',
      description: 'A suicide attempt or threat call where the officer heard suicidal statements: imminent.',
      when: {
        all: [
          { fact: 'callType', in: ['suicide-attempt', 'suicide-threat'] },
          { fact: 'observations', includes: 'suicidal-statements' },
        ],
      },
      then: { risk: 'imminent', needs: ['mental-health'], pathways: ['mobile-crisis-now'] },
    },
    {
      id: 'weapon-in-mental-health-crisis',
      description: 'A weapon present in a mental-health crisis: imminent danger.',
      when: {
        all: [
          { fact: 'observations', includes: 'weapon-present' },
          { fact: 'relatedTo', in: ['mental-health', 'both'] },
        ],
      },
      then: { risk: 'imminent', needs: ['mental-health'], pathways: ['mobile-crisis-now'] },
    },
    {
      id: 'weapon-present',
      description: 'A weapon present in a behavioral-health call: urgent clinician follow-up.',
      when: { all: [{ fact: 'observations', includes: 'weapon-present' }, BH_RELATED] },
      then: { risk: 'urgent', pathways: ['clinician-outreach'] },
    },
    {
      id: 'suicidal-statements',
      description: 'Suicidal statements: urgent clinician outreach within a day.',
      when: { fact: 'observations', includes: 'suicidal-statements' },
      then: { risk: 'urgent', needs: ['mental-health'], pathways: ['clinician-outreach'] },
    },
    {
      id: 'overdose',
      description: 'An overdose: post-overdose outreach and a substance-use partner.',
      when: {
        any: [
          { fact: 'observations', includes: 'overdose' },
          { fact: 'callType', equals: 'overdose' },
        ],
      },
      then: {
        risk: 'urgent',
        needs: ['overdose-follow-up', 'substance-use'],
        pathways: ['clinician-outreach', 'partner-referral'],
        sector: 'overdose',
      },
    },
    {
      id: 'crisis-call-type',
      description: 'A crisis call type, even where the officer coded no indicator: clinician review and outreach.',
      when: { fact: 'callType', in: CRISIS_CALL_TYPES },
      then: { risk: 'routine', needs: ['mental-health'], pathways: ['clinician-outreach'] },
    },
    {
      id: 'mental-health-related',
      description: 'Possibly related to mental health: clinician outreach.',
      when: { fact: 'relatedTo', in: ['mental-health', 'both'] },
      then: { risk: 'routine', needs: ['mental-health'], pathways: ['clinician-outreach'], sector: 'mental-health' },
    },
    {
      id: 'narcotics-related',
      description: 'Possibly related to narcotics misuse: a substance-use partner.',
      when: { fact: 'relatedTo', in: ['narcotics', 'both'] },
      then: { risk: 'routine', needs: ['substance-use'], pathways: ['partner-referral'] },
    },
    {
      id: 'intoxication',
      description: 'Intoxication observed: substance-use need.',
      when: { fact: 'observations', includes: 'intoxication' },
      then: { risk: 'routine', needs: ['substance-use'], pathways: ['partner-referral'] },
    },
    {
      id: 'suspected-alcohol-or-drug-use',
      description: 'NIBRS suspected of using alcohol (A) or drugs (D) in a behavioral-health call: substance-use need.',
      when: { all: [{ fact: 'suspectedUsing', includesAny: ['A', 'D'] }, BH_RELATED] },
      then: { needs: ['substance-use'], pathways: ['partner-referral'] },
    },
    {
      id: 'developmental-disability',
      description: 'Developmental disability observed: a partner for developmental services.',
      when: { fact: 'observations', includes: 'developmental-disability' },
      then: { risk: 'routine', needs: ['developmental-disability'], pathways: ['partner-referral'] },
    },
    {
      id: 'trauma',
      description: 'Trauma observed: clinician outreach with trauma-informed care.',
      when: { fact: 'observations', includes: 'trauma' },
      then: { risk: 'routine', needs: ['trauma'], pathways: ['clinician-outreach'] },
    },
    {
      id: 'juvenile',
      description: 'A juvenile in a behavioral-health call: youth services and family support.',
      when: { all: [{ fact: 'subject.juvenile', equals: true }, BH_RELATED] },
      then: { needs: ['youth', 'family-support'], pathways: ['partner-referral'], sector: 'juveniles' },
    },
    {
      id: 'senior',
      description: 'A senior in a behavioral-health call: elder services.',
      when: { all: [{ fact: 'subject.senior', equals: true }, BH_RELATED] },
      then: { needs: ['elder'], pathways: ['partner-referral'], sector: 'seniors' },
    },
    {
      id: 'veteran',
      description: 'A veteran in a behavioral-health call: a veterans partner (VA, SSVF).',
      when: { all: [{ fact: 'subject.veteran', equals: true }, BH_RELATED] },
      then: { pathways: ['partner-referral'] },
    },
    {
      id: 'experiencing-homelessness',
      description: 'A person experiencing homelessness: housing partner, whatever the coding.',
      when: { fact: 'subject.experiencingHomelessness', equals: true },
      then: { risk: 'routine', needs: ['housing'], pathways: ['partner-referral'], sector: 'homelessness' },
    },
    {
      id: 'family-disturbance',
      description: 'A family or domestic call with behavioral-health indicators: family support.',
      when: { all: [{ fact: 'callType', in: ['domestic-disturbance', 'family-disturbance'] }, BH_RELATED] },
      then: { needs: ['family-support'] },
    },
    {
      id: 're-entry',
      description: 'Recently released from incarceration: re-entry outreach.',
      when: {
        any: [
          { fact: 'callType', in: ['re-entry-check', 'released-from-custody'] },
          { fact: 'disposition', in: ['released-from-custody', 'released-on-bail'] },
        ],
      },
      then: { risk: 'routine', needs: ['re-entry'], pathways: ['clinician-outreach'] },
    },
    {
      id: 'crisis-plan-on-file',
      description: 'The person has a crisis response plan: follow it through clinician outreach.',
      when: { all: [{ fact: 'crisisPlanOnFile', equals: true }, BH_RELATED] },
      then: { risk: 'routine', pathways: ['clinician-outreach'] },
    },
    {
      id: 'repeat-contacts',
      description: "The person met the department's repeat-contact rule: nominate for a case conference.",
      when: { fact: 'repeatContactRuleMet', equals: true },
      then: { risk: 'urgent', pathways: ['case-conference-nomination'] },
    },
  ],
};
