import { PHI_TOKEN_PREFIX, type FieldCipher } from '@cit/persistence';
import type { ReviewItemStatus } from '@cit/contracts';
import type { ScreeningReason } from './screening';

/** A review item as the API returns it. */
export interface ReviewItemView {
  id: string;
  incidentId: string;
  reasons: ScreeningReason[];
  status: ReviewItemStatus;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

/** AAD of decision_reason ciphertext: binds it to this column. */
export const DECISION_REASON_AAD = 'review_item.decision_reason';

/** Staff reasons are stored encrypted (they may name people); system reasons ("reclassified") are plain codes. */
export function openDecisionReason(cipher: FieldCipher, stored: string | null): string | null {
  if (stored === null) return null;
  return stored.startsWith(PHI_TOKEN_PREFIX) ? cipher.decrypt(stored, DECISION_REASON_AAD) : stored;
}
