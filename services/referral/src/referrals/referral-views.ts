import { FieldCipher, type PhiBinding } from '@cit/persistence';
import { PART2_REDISCLOSURE_NOTICE } from '../disclosure/minimum-necessary';
import { allowedValues, disclosableValues, partnerNeeds, type ReferralPacket } from './referral-packet';
import type { ReferralRecord } from './referral.store';

/** Where a referral's packet is bound: its department and row (legacy v1 tokens: the row alone). */
export function packetPlace(departmentId: string, referralId: string): PhiBinding {
  return {
    departmentId,
    table: 'referral',
    column: 'packet_ciphertext',
    rowId: referralId,
    legacyAad: `referral.packet:${referralId}`,
  };
}

export function packetOf(cipher: FieldCipher, r: ReferralRecord): ReferralPacket {
  return r.packetCiphertext
    ? (JSON.parse(cipher.decrypt(r.packetCiphertext, packetPlace(r.departmentId, r.id))) as ReferralPacket)
    : {};
}

/** What the addressed agency sees: codes and deadlines, and only the fields its MOU and the legal basis allow. */
export function partnerView(cipher: FieldCipher, r: ReferralRecord) {
  const values = disclosableValues(
    {
      personId: r.personId,
      caseId: r.caseId,
      riskLevel: r.riskLevel,
      ageRange: r.ageRange,
      language: r.language,
      area: r.area,
    },
    packetOf(cipher, r),
  );
  return {
    referralId: r.id,
    status: r.status,
    agencyId: r.agencyId,
    serviceId: r.serviceId,
    mouId: r.mouId,
    urgency: r.urgency,
    needs: partnerNeeds(r.needs, r.categories),
    legalBasis: r.legalBasis,
    sla: { receiveBy: r.receiveBy, acceptBy: r.acceptBy },
    attempt: r.attempt,
    outcome: r.outcome,
    requestedAt: r.createdAt,
    updatedAt: r.updatedAt,
    disclosed: allowedValues(values, r.fields),
    ...(r.part2Notice ? { redisclosureNotice: PART2_REDISCLOSURE_NOTICE } : {}),
  };
}

/** The department's view: routing scores and exclusions, the HIPAA checklist, what was shared (names only). */
export function departmentView(r: ReferralRecord, history: unknown[]) {
  return {
    id: r.id,
    requestId: r.requestId,
    status: r.status,
    agencyId: r.agencyId,
    serviceId: r.serviceId,
    mouId: r.mouId,
    personId: r.personId,
    caseId: r.caseId,
    triageId: r.triageId,
    urgency: r.urgency,
    riskLevel: r.riskLevel,
    needs: r.needs,
    attempt: r.attempt,
    reroutedFrom: r.reroutedFrom,
    reroutedTo: r.reroutedTo,
    chosenBy: r.chosenBy,
    score: r.score,
    ranking: r.ranking,
    legalBasis: r.legalBasis,
    disclosedCategories: r.categories,
    disclosedFields: r.fields,
    part2Notice: r.part2Notice,
    hipaaChecklist: r.checklist,
    sla: { receiveBy: r.receiveBy, acceptBy: r.acceptBy },
    outcome: r.outcome,
    reasonCode: r.reasonCode,
    history,
    createdAt: r.createdAt,
  };
}
