import { randomUUID } from 'node:crypto';

/** Prefixed random ids, readable in logs and never derived from PHI. */
export function newReviewItemId(): string {
  return `rvw_${randomUUID().replace(/-/g, '')}`;
}
