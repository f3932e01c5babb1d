import { z } from 'zod';
import type { PhiBinding } from '@cit/persistence';

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * What a crisis response plan says (as police CIT programs keep for people with repeated
 * crisis contacts). All of it is PHI: stored as one FieldCipher token per version.
 */
export const crisisPlanContentSchema = z.strictObject({
  whoToCall: z
    .array(
      z.strictObject({
        name: text(200),
        relationship: z.enum(['family', 'clinician', 'case-manager', 'peer-support', 'other']),
        phone: text(40).optional(),
        notes: text(500).optional(),
      }),
    )
    .max(10),
  whatHelps: z.array(text(500)).max(20),
  whatEscalates: z.array(text(500)).max(20),
  safetyNotes: text(4000).optional(),
  /** BCP 47 language tag, e.g. es, pt-BR, ht. */
  preferredLanguage: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag, e.g. es or pt-BR')
    .optional(),
});
export type CrisisPlanContent = z.infer<typeof crisisPlanContentSchema>;

/** Where a plan version's token is bound: its department and row (legacy v1 tokens: the row alone). */
export const crisisPlanAad = (departmentId: string, planId: string): PhiBinding => ({
  departmentId,
  table: 'crisis_plan',
  column: 'content_ciphertext',
  rowId: planId,
  legacyAad: `crisis_plan.content:${planId}`,
});
