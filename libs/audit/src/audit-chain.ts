import { auditEntryHash, GENESIS_HASH, type AuditRecord } from './audit-entry';

/** The first entry that does not fit the chain, and why. */
export interface BrokenAuditEntry {
  seq: number;
  id: string;
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'seq-gap';
}

/** Where a chain check stands after some entries (verification streams pages through it). */
export interface ChainCursor {
  expectedSeq: number;
  prevHash: string;
  checked: number;
}

/** The state before the first entry of a department. */
export const chainStart = (): ChainCursor => ({ expectedSeq: 1, prevHash: GENESIS_HASH, checked: 0 });

/**
 * Checks entries (in seq order) against the chain so far: each must carry the next seq, the
 * previous entry's hash, and a hash that matches its own content. Returns the first broken
 * entry, or the cursor to continue with.
 */
export function checkChain(
  records: readonly AuditRecord[],
  cursor: ChainCursor,
): { broken: BrokenAuditEntry } | { cursor: ChainCursor } {
  let { expectedSeq, prevHash, checked } = cursor;
  for (const r of records) {
    const at = { seq: r.seq, id: r.id };
    // A deleted entry shows as a gap; an edited one as a hash that no longer matches.
    if (r.seq !== expectedSeq) return { broken: { ...at, reason: 'seq-gap' } };
    if (r.prevHash !== prevHash) return { broken: { ...at, reason: 'prev-hash-mismatch' } };
    const { hash, ...content } = r;
    if (auditEntryHash(content) !== hash) return { broken: { ...at, reason: 'hash-mismatch' } };
    expectedSeq += 1;
    prevHash = hash;
    checked += 1;
  }
  return { cursor: { expectedSeq, prevHash, checked } };
}
