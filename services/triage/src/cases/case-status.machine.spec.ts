import { caseStatusSchema, type CaseStatus } from '@cit/contracts';
import { decideTransition, isClosed, statusAfterContact } from './case-status.machine';

const ALL = caseStatusSchema.options;
const CLOSED: CaseStatus[] = ['stabilized', 'connected-to-long-term-services', 'closed-no-contact', 'transferred'];

// Every (from, to) pair the lifecycle allows; every other pair must be refused.
const ALLOWED: [CaseStatus, CaseStatus][] = [
  ['open', 'in-contact'],
  ['open', 'closed-no-contact'],
  ['open', 'transferred'],
  ['in-contact', 'stabilized'],
  ['in-contact', 'connected-to-long-term-services'],
  ['in-contact', 'closed-no-contact'],
  ['in-contact', 'transferred'],
];

describe('case status machine', () => {
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as [CaseStatus, CaseStatus]));

  it.each(pairs)('%s → %s', (from, to) => {
    const expected = ALLOWED.some(([f, t]) => f === from && t === to);
    const decision = decideTransition(from, to);
    expect(decision.ok).toBe(expected);
    if (decision.ok) expect(decision.closes).toBe(CLOSED.includes(to));
    else {
      expect(decision.allowed).toEqual(ALLOWED.filter(([f]) => f === from).map(([, t]) => t));
      expect(decision.reason).toBe(from === to ? 'same-status' : 'not-allowed');
    }
  });

  it.each([['open', false], ['in-contact', false], ...CLOSED.map((s) => [s, true] as const)] as [
    CaseStatus,
    boolean,
  ][])('%s closed: %s', (status, closed) => {
    expect(isClosed(status)).toBe(closed);
  });

  it.each([
    ['open', 'made', 'in-contact'],
    ['open', 'attempted', 'open'],
    ['in-contact', 'made', 'in-contact'],
    ['in-contact', 'attempted', 'in-contact'],
  ] as [CaseStatus, 'attempted' | 'made', CaseStatus][])('%s after a contact %s → %s', (from, outcome, to) => {
    expect(statusAfterContact(from, outcome)).toBe(to);
  });
});
