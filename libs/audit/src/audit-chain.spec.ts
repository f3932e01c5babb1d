import { chainStart, checkChain } from './audit-chain';
import { auditEntryHash, canonicalAuditEntry, GENESIS_HASH, type AuditRecord } from './audit-entry';

function chain(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content: Omit<AuditRecord, 'hash'> = {
      id: `00000000-0000-4000-8000-00000000000${seq}`,
      departmentId: 'dept-a',
      seq,
      occurredAt: new Date(Date.UTC(2026, 11, 1, 12, 0, seq)),
      actorSubject: 'dev-clinician',
      actorKind: 'staff',
      actorRoles: ['clinician'],
      actorAgencyId: null,
      purpose: 'treatment',
      action: 'read',
      recordType: 'incident',
      recordId: `inc_${seq}`,
      personIds: ['per_1'],
      fields: ['narrative', 'subjects.name'],
      outcome: 'success',
      requestId: `req-${seq}`,
      correlationId: null,
      clientAddress: '127.0.0.1',
      reasonCiphertext: null,
      prevHash,
    };
    const hash = auditEntryHash(content);
    records.push({ ...content, hash });
    prevHash = hash;
  }
  return records;
}

describe('audit chain', () => {
  it('serializes canonically: a fixed column order, independent of object key order', () => {
    const [r] = chain(1);
    const { hash: _hash, ...content } = r!;
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    expect(canonicalAuditEntry(reordered)).toBe(canonicalAuditEntry(content));
    expect(auditEntryHash(content)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts an intact chain, also when checked page by page', () => {
    const records = chain(5);
    expect(checkChain(records, chainStart())).toEqual({
      cursor: { expectedSeq: 6, prevHash: records[4]!.hash, checked: 5 },
    });
    const first = checkChain(records.slice(0, 2), chainStart());
    if (!('cursor' in first)) throw new Error('expected intact');
    expect(checkChain(records.slice(2), first.cursor)).toEqual({
      cursor: { expectedSeq: 6, prevHash: records[4]!.hash, checked: 5 },
    });
  });

  it.each<[string, (r: AuditRecord[]) => AuditRecord[], number, string]>([
    ['an edited field', (r) => r.map((x) => (x.seq === 3 ? { ...x, recordId: 'inc_other' } : x)), 3, 'hash-mismatch'],
    ['an edited person list', (r) => r.map((x) => (x.seq === 2 ? { ...x, personIds: [] } : x)), 2, 'hash-mismatch'],
    [
      'an edited purpose',
      (r) => r.map((x) => (x.seq === 4 ? { ...x, purpose: 'operations' as const } : x)),
      4,
      'hash-mismatch',
    ],
    ['an edited time', (r) => r.map((x) => (x.seq === 1 ? { ...x, occurredAt: new Date(0) } : x)), 1, 'hash-mismatch'],
    ['a deleted entry', (r) => r.filter((x) => x.seq !== 3), 4, 'seq-gap'],
    [
      'an entry rehashed after an edit',
      (r) => r.map((x) => (x.seq === 3 ? rehash({ ...x, fields: [] }) : x)),
      4,
      'prev-hash-mismatch',
    ],
  ])('names the first broken entry after %s', (_name, tamper, seq, reason) => {
    const result = checkChain(tamper(chain(5)), chainStart());
    expect(result).toEqual({ broken: { seq, id: `00000000-0000-4000-8000-00000000000${seq}`, reason } });
  });
});

function rehash(r: AuditRecord): AuditRecord {
  const { hash: _hash, ...content } = r;
  return { ...content, hash: auditEntryHash(content) };
}
