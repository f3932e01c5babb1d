// The single place deciding what a viewer sees of a nominated case (HUB four filters). Pure:
// the store loads facts and decrypts only the fields the level chosen here needs.

/** Privacy stage of a nomination (nomination.privacy_stage). */
export type PrivacyStage = 'de-identified' | 'redacted' | 'limited-identity' | 'planning';

/** Role an agency was given a case's identity in (identity_disclosure.role). */
export type DisclosureRole = 'selected' | 'lead' | 'assisting';

/** What is stored of a nomination, without its encrypted columns. */
export interface CaseFacts {
  nominationId: string;
  /** triage's case id when there is one, else the nomination id (as conference events name it). */
  caseId: string;
  status: 'pending-verification' | 'open' | 'closed' | 'rejected' | 'withdrawn';
  privacyStage: PrivacyStage;
  source: 'partner' | 'family' | 'triage' | 'staff';
  sourceAgencyId: string | null;
  seriesKind: string | null;
  riskLevel: string;
  riskFactors: readonly string[];
  riskFactorCount: number;
  ageRange: string | null;
  gender: string;
  reasonCode: string;
  agenciesMobilizedCount: number;
  servicesMobilizedCount: number;
  createdAt: string;
  closedStatus: string | null;
  /**
   * Agencies that sit at a table this case is on (members of the series of a session whose agenda
   * holds it). The store may fill in only the viewer's own agency: nothing else is read from it.
   */
  tableMemberAgencyIds: readonly string[];
  /** Whether any encrypted identity is still stored (false once redacted). */
  hasIdentity: boolean;
}

/** One disclosure of the case's identity to an agency. */
export interface CaseDisclosure {
  agencyId: string;
  sessionId: string;
  role: DisclosureRole;
}

/** Who is looking. */
export type CaseViewer = { kind: 'staff'; roles: readonly string[] } | { kind: 'partner'; agencyId: string };

/**
 * How much of the case a viewer sees: `full` (program staff: everything stored), `planning`
 * (lead or assisting agency: limited identity, the reason text and the call-back contact),
 * `limited-identity` (an agency the table selected: name and birth date), `de-identified`
 * (age range, gender, risk factors, risk level, reason code), `redacted` (counts only, the
 * table found no acutely elevated risk).
 */
export type CaseViewLevel = 'full' | 'planning' | 'limited-identity' | 'de-identified' | 'redacted';

/** Staff roles that run the program and see cases in full (audited). */
export const FULL_VIEW_ROLES: readonly string[] = ['coordinator', 'supervisor', 'admin'];

/** Staff roles that may nominate and follow the cases in their de-identified form. */
export const DE_IDENTIFIED_STAFF_ROLES: readonly string[] = ['officer', 'clinician'];

/** Encrypted fields a level discloses (what the store decrypts and the audit names). */
export const LEVEL_FIELDS: Record<CaseViewLevel, readonly IdentityField[]> = {
  full: ['name', 'birthDate', 'reasonText', 'contact'],
  planning: ['name', 'birthDate', 'reasonText', 'contact'],
  'limited-identity': ['name', 'birthDate'],
  'de-identified': [],
  redacted: [],
};

/** An encrypted field of a nomination. */
export type IdentityField = 'name' | 'birthDate' | 'reasonText' | 'contact';

/** The decrypted values the store read for the level (only those LEVEL_FIELDS names). */
export type DecryptedIdentity = Partial<Record<IdentityField, string | null>>;

/**
 * The level a viewer may see the case at, or null for nothing. Partner agencies: nothing unless
 * they sit at a table the case is on, nominated it, or were given its identity; identity only
 * through a disclosure to that very agency, and never once the record is redacted.
 */
export function caseViewLevel(
  facts: CaseFacts,
  disclosures: readonly CaseDisclosure[],
  viewer: CaseViewer,
): CaseViewLevel | null {
  if (viewer.kind === 'staff') {
    if (viewer.roles.some((r) => FULL_VIEW_ROLES.includes(r))) return 'full';
    if (viewer.roles.some((r) => DE_IDENTIFIED_STAFF_ROLES.includes(r))) {
      return facts.privacyStage === 'redacted' ? 'redacted' : 'de-identified';
    }
    return null;
  }
  const own = disclosures.filter((d) => d.agencyId === viewer.agencyId);
  const member =
    facts.tableMemberAgencyIds.includes(viewer.agencyId) || facts.sourceAgencyId === viewer.agencyId || own.length > 0;
  if (!member) return null;
  if (facts.privacyStage === 'redacted') return 'redacted';
  if (!facts.hasIdentity) return 'de-identified';
  if (facts.privacyStage === 'planning' && own.some((d) => d.role === 'lead' || d.role === 'assisting')) {
    return 'planning';
  }
  if (
    (facts.privacyStage === 'limited-identity' || facts.privacyStage === 'planning') &&
    own.some((d) => d.role === 'selected' || d.role === 'lead' || d.role === 'assisting')
  ) {
    return 'limited-identity';
  }
  return 'de-identified';
}

/** What a viewer is shown of a case. Identity and text appear only at the levels that carry them. */
export interface CaseView {
  nominationId: string;
  caseId: string;
  level: CaseViewLevel;
  status: CaseFacts['status'];
  privacyStage: PrivacyStage;
  source: CaseFacts['source'];
  seriesKind: string | null;
  riskLevel: string;
  createdAt: string;
  /** De-identified presentation (absent once redacted). */
  presentation?: { ageRange: string | null; gender: string; riskFactors: string[]; reasonCode: string };
  /** What a redacted record keeps for statistics. */
  counts?: { riskFactors: number; agenciesMobilized: number; servicesMobilized: number };
  identity?: { name: string | null; birthDate: string | null };
  reasonText?: string | null;
  contact?: string | null;
  /** Program staff only: who was given the identity, in which role. */
  disclosures?: CaseDisclosure[];
  sourceAgencyId?: string | null;
  closedStatus?: string | null;
}

/**
 * The view of one case for a viewer, or null when the viewer may see nothing of it. `identity`
 * holds what the store decrypted for `caseViewLevel`'s answer; anything beyond that level is
 * ignored here even if passed, so a store bug cannot widen what is shown.
 */
export function caseView(
  facts: CaseFacts,
  disclosures: readonly CaseDisclosure[],
  viewer: CaseViewer,
  identity: DecryptedIdentity = {},
): CaseView | null {
  const level = caseViewLevel(facts, disclosures, viewer);
  if (level === null) return null;
  const view: CaseView = {
    nominationId: facts.nominationId,
    caseId: facts.caseId,
    level,
    status: facts.status,
    privacyStage: facts.privacyStage,
    source: facts.source,
    seriesKind: facts.seriesKind,
    riskLevel: facts.riskLevel,
    createdAt: facts.createdAt,
  };
  if (facts.privacyStage === 'redacted' || level === 'redacted') {
    view.counts = {
      riskFactors: facts.riskFactorCount,
      agenciesMobilized: facts.agenciesMobilizedCount,
      servicesMobilized: facts.servicesMobilizedCount,
    };
  } else {
    view.presentation = {
      ageRange: facts.ageRange,
      gender: facts.gender,
      riskFactors: [...facts.riskFactors],
      reasonCode: facts.reasonCode,
    };
  }
  const shown = new Set(LEVEL_FIELDS[level]);
  if (shown.has('name') || shown.has('birthDate')) {
    view.identity = { name: identity.name ?? null, birthDate: identity.birthDate ?? null };
  }
  if (shown.has('reasonText')) view.reasonText = identity.reasonText ?? null;
  if (shown.has('contact')) view.contact = identity.contact ?? null;
  if (level === 'full') {
    view.disclosures = disclosures.map((d) => ({ agencyId: d.agencyId, sessionId: d.sessionId, role: d.role }));
    view.sourceAgencyId = facts.sourceAgencyId;
    view.closedStatus = facts.closedStatus;
  }
  return view;
}

/**
 * The de-identified summary of a case (lists, confirmations): never identity or text, whoever
 * asks; redacted records show their counts only.
 */
export function caseSummary(facts: CaseFacts): CaseView {
  const summary = caseView(facts, [], { kind: 'staff', roles: DE_IDENTIFIED_STAFF_ROLES });
  return { ...summary!, closedStatus: facts.closedStatus };
}
