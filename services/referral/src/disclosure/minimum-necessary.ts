// Legal basis and minimum necessary: what one recipient of a referral may see. Plain TypeScript.
// The HIPAA checklist is returned whole and stored with the referral, so the decision can be
// audited later exactly as it was made.
import type { DisclosureCategory, LegalBasis, RiskLevel } from '@cit/contracts';
import type { MouTerms } from '../mous/mou.model';

/** Fields of the referral packet per disclosure category (names only; values stay encrypted). */
export const CATEGORY_FIELDS: Record<DisclosureCategory, readonly string[]> = {
  identity: ['personId', 'caseId', 'name', 'dateOfBirth'],
  contact: ['phone', 'address'],
  narrative: ['narrative'],
  indicators: ['riskLevel', 'ageRange', 'language', 'area'],
  'substance-use': ['substanceUse'],
};

export const DISCLOSURE_CATEGORIES = Object.keys(CATEGORY_FIELDS) as DisclosureCategory[];

/** The 42 CFR 2.32 notice that must accompany any disclosure of Part 2 information. */
export const PART2_REDISCLOSURE_NOTICE =
  'This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information ' +
  'contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, ' +
  'State, or local authority, against the patient, unless authorized by the consent of the patient, except as ' +
  'provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, ' +
  'the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of ' +
  'the following applies: (i) Further use or disclosure is expressly permitted by the written consent of the ' +
  'individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. ' +
  '(ii) You are a covered entity or business associate and have received the record for treatment, payment, or ' +
  'health care operations, or (iii) You have received the record from an individual or entity for a purpose ' +
  'permitted by 42 CFR part 2. A general authorization for the release of medical or other information is NOT ' +
  'sufficient to meet the required elements of written consent to further use or redisclose the record (see 42 ' +
  'CFR 2.31).';

/** A consent the person gave, as recorded by the department. */
export interface ConsentRecord {
  id: string;
  /** Categories the person agreed may be shared. */
  categories: DisclosureCategory[];
  /** Recipients it names; empty = any partner under an MOU. */
  agencyIds: string[];
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface DisclosureInput {
  recipient: { agencyId: string; lessensImminentThreat: boolean };
  terms: MouTerms;
  riskLevel: RiskLevel;
  /** Triage found 164.512(j) available (serious and imminent threat). */
  imminentThreatFlag: boolean;
  consents: readonly ConsentRecord[];
  now: Date;
  /** Categories the referral packet actually holds values for (indicators are always derivable). */
  available: readonly DisclosureCategory[];
}

export interface HipaaChecklist {
  consent: { onFile: boolean; consentId: string | null; categories: DisclosureCategory[]; expiresAt: string | null };
  treatmentOrCareCoordination: boolean;
  seriousImminentThreat: {
    applies: boolean;
    riskImminent: boolean;
    triageFlag: boolean;
    recipientCanLessenThreat: boolean;
  };
  part2: { substanceUseHeld: boolean; consentCoversSubstanceUse: boolean; redisclosureNotice: boolean };
  minimumNecessary: { category: DisclosureCategory; allowed: boolean; why: string }[];
}

export interface DisclosureDecision {
  legalBasis: LegalBasis;
  categories: DisclosureCategory[];
  fields: string[];
  part2Notice: boolean;
  checklist: HipaaChecklist;
}

/** The consent that applies to this recipient now, if any (latest first by the caller's order). */
export function applicableConsent(consents: readonly ConsentRecord[], agencyId: string, now: Date) {
  return consents.find(
    (c) =>
      c.revokedAt === null &&
      (c.expiresAt === null || new Date(c.expiresAt) > now) &&
      (c.agencyIds.length === 0 || c.agencyIds.includes(agencyId)),
  );
}

/** Under 164.512(j) only what lets the recipient act on the threat. */
const THREAT_CATEGORIES: readonly DisclosureCategory[] = ['identity', 'contact', 'indicators'];

export function decideDisclosure(input: DisclosureInput): DisclosureDecision {
  const consent = applicableConsent(input.consents, input.recipient.agencyId, input.now);
  const consentCats = new Set(consent?.categories ?? []);
  const threat = {
    applies: false,
    riskImminent: input.riskLevel === 'imminent',
    triageFlag: input.imminentThreatFlag,
    recipientCanLessenThreat: input.recipient.lessensImminentThreat,
  };
  threat.applies = threat.riskImminent && threat.triageFlag && threat.recipientCanLessenThreat;
  const treatment = input.terms.treatment;

  const legalBasis: LegalBasis = consent
    ? 'consent'
    : threat.applies
      ? 'hipaa-164.512(j)-serious-imminent-threat'
      : treatment
        ? 'treatment'
        : 'none';

  const minimumNecessary: HipaaChecklist['minimumNecessary'] = [];
  const allowed: DisclosureCategory[] = [];
  for (const category of DISCLOSURE_CATEGORIES) {
    const term = input.terms.categories[category];
    const byConsent = consentCats.has(category);
    let ok = false;
    let why: string;
    if (!term.shared) why = 'the MOU does not share it';
    else if (!input.available.includes(category)) why = 'nothing of it in the referral';
    else if (category === 'substance-use') {
      // 42 CFR Part 2: never without the person's consent, whatever else applies.
      ok = byConsent;
      why = ok ? 'consent covers substance-use details (42 CFR Part 2)' : '42 CFR Part 2: no consent for it';
    } else if (term.consentRequired && !byConsent) {
      // 164.512(j) does not need consent, but only for what lessens the threat.
      ok = threat.applies && THREAT_CATEGORIES.includes(category);
      why = ok
        ? '164.512(j): needed to lessen a serious and imminent threat'
        : 'the MOU requires consent, none covers it';
    } else if (byConsent) {
      ok = true;
      why = 'consent covers it';
    } else if (threat.applies) {
      ok = THREAT_CATEGORIES.includes(category);
      why = ok ? '164.512(j): needed to lessen a serious and imminent threat' : 'not needed to lessen the threat';
    } else if (treatment) {
      ok = true;
      why = 'treatment or care coordination under the MOU';
    } else {
      why = 'no consent, treatment relationship or 164.512(j) basis';
    }
    minimumNecessary.push({ category, allowed: ok, why });
    if (ok) allowed.push(category);
  }
  // Indicators (risk level, age range, language, area) without any identity are de-identified:
  // the MOU alone lets them go when nothing else gives a basis.
  const indicators = minimumNecessary.find((m) => m.category === 'indicators')!;
  const indicatorTerm = input.terms.categories.indicators;
  if (!indicators.allowed && !allowed.includes('identity') && indicatorTerm.shared && !indicatorTerm.consentRequired) {
    indicators.allowed = true;
    indicators.why = 'de-identified (no identity shared), under the MOU';
    allowed.splice(
      DISCLOSURE_CATEGORIES.filter((c) => allowed.includes(c) || c === 'indicators').indexOf('indicators'),
      0,
      'indicators',
    );
  }
  const part2Notice = allowed.includes('substance-use');
  return {
    legalBasis: allowed.length === 0 ? 'none' : legalBasis,
    categories: allowed,
    fields: allowed.flatMap((c) => CATEGORY_FIELDS[c]),
    part2Notice,
    checklist: {
      consent: {
        onFile: consent !== undefined,
        consentId: consent?.id ?? null,
        categories: consent?.categories ?? [],
        expiresAt: consent?.expiresAt ?? null,
      },
      treatmentOrCareCoordination: treatment,
      seriousImminentThreat: threat,
      part2: {
        substanceUseHeld: input.available.includes('substance-use'),
        consentCoversSubstanceUse: consentCats.has('substance-use'),
        redisclosureNotice: part2Notice,
      },
      minimumNecessary,
    },
  };
}
