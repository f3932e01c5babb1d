// What a referral can tell a partner, and the view each recipient gets. Plain TypeScript.
import type { DisclosureCategory } from '@cit/contracts';
import { z } from 'zod';
import { CATEGORY_FIELDS, PART2_REDISCLOSURE_NOTICE } from '../disclosure/minimum-necessary';

/** PHI a coordinator attaches to a referral (stored encrypted, disclosed per recipient). */
export const referralPacketSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  dateOfBirth: z.iso.date().optional(),
  phone: z.string().min(3).max(40).optional(),
  address: z.string().min(1).max(300).optional(),
  narrative: z.string().min(1).max(4000).optional().describe('what the partner needs to know about the situation'),
  substanceUse: z.string().min(1).max(2000).optional().describe('substance-use details (42 CFR Part 2)'),
});
export type ReferralPacket = z.infer<typeof referralPacketSchema>;

/** The facts of a referral other than the packet (ids and codes from triage or the coordinator). */
export interface ReferralFacts {
  personId: string | null;
  caseId: string | null;
  riskLevel: string;
  ageRange: string;
  language: string | null;
  area: string | null;
}

const SUBSTANCE_NEEDS = ['substance-use', 'overdose-follow-up'];

/** Categories the referral holds something for (indicators always: risk and age range are known). */
export function availableCategories(facts: ReferralFacts, packet: ReferralPacket): DisclosureCategory[] {
  const out: DisclosureCategory[] = [];
  if (facts.personId || facts.caseId || packet.name || packet.dateOfBirth) out.push('identity');
  if (packet.phone || packet.address) out.push('contact');
  if (packet.narrative) out.push('narrative');
  out.push('indicators');
  if (packet.substanceUse) out.push('substance-use');
  return out;
}

/** Every disclosable value of a referral by field name (absent values left out). */
export function disclosableValues(facts: ReferralFacts, packet: ReferralPacket): Record<string, string> {
  const all: Record<string, string | null | undefined> = {
    personId: facts.personId,
    caseId: facts.caseId,
    name: packet.name,
    dateOfBirth: packet.dateOfBirth,
    phone: packet.phone,
    address: packet.address,
    narrative: packet.narrative,
    riskLevel: facts.riskLevel,
    ageRange: facts.ageRange,
    language: facts.language,
    area: facts.area,
    substanceUse: packet.substanceUse,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Only the values of the allowed fields. */
export function allowedValues(values: Record<string, string>, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => fields.includes(k)));
}

/**
 * Needs as the partner sees them: substance-use needs reveal substance-use information, so
 * they go only where the substance-use category may (42 CFR Part 2).
 */
export function partnerNeeds(needs: readonly string[], categories: readonly DisclosureCategory[]): string[] {
  const visible = categories.includes('substance-use') ? [...needs] : needs.filter((n) => !SUBSTANCE_NEEDS.includes(n));
  return visible.length ? visible : ['unspecified'];
}

export { CATEGORY_FIELDS, PART2_REDISCLOSURE_NOTICE };
