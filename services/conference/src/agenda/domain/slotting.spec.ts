import type { RiskLevel } from '@cit/contracts';
import { compareCandidates, identityLevelOf, slotCases, type SlotCandidate, type SlotSession } from './slotting';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 1, 12);

const session = (id: string, inDays: number, over: Partial<SlotSession> = {}): SlotSession => ({
  id,
  startsAt: NOW + inDays * DAY,
  cutoffAt: NOW + inDays * DAY - 48 * HOUR,
  capacity: 2,
  placed: 0,
  cancelled: false,
  seriesKind: 'hub',
  ...over,
});
const nom = (id: string, riskLevel: RiskLevel, ageHours: number, over: Partial<SlotCandidate> = {}): SlotCandidate => ({
  nominationId: id,
  riskLevel,
  waitingSince: NOW - ageHours * HOUR,
  kind: 'new',
  ...over,
});
const where = (sessions: SlotSession[], candidates: SlotCandidate[]) => {
  const { placements, unplaced } = slotCases(sessions, candidates, NOW);
  return { on: Object.fromEntries(placements.map((p) => [p.nominationId, `${p.sessionId}#${p.position}`])), unplaced };
};

describe('slotCases', () => {
  it.each<{
    name: string;
    sessions: SlotSession[];
    candidates: SlotCandidate[];
    on: Record<string, string>;
    unplaced?: string[];
  }>([
    {
      name: 'highest risk first, then the longest waiting, on the earliest session with room',
      sessions: [session('s1', 7), session('s2', 14)],
      candidates: [nom('a', 'routine', 10), nom('b', 'imminent', 1), nom('c', 'routine', 20), nom('d', 'urgent', 2)],
      on: { b: 's1#1', d: 's1#2', c: 's2#1', a: 's2#2' },
    },
    {
      name: 'overflow of a full session carries over to the next; what fits nowhere stays unplaced',
      sessions: [session('s1', 7, { capacity: 1 }), session('s2', 14, { capacity: 1 })],
      candidates: [nom('a', 'urgent', 3), nom('b', 'urgent', 2), nom('c', 'urgent', 1)],
      on: { a: 's1#1', b: 's2#1' },
      unplaced: ['c'],
    },
    {
      name: 'cases already placed count against capacity and positions continue after them',
      sessions: [session('s1', 7, { capacity: 3, placed: 2, nextPosition: 4 }), session('s2', 14)],
      candidates: [nom('a', 'routine', 2), nom('b', 'routine', 1)],
      on: { a: 's1#4', b: 's2#1' },
    },
    {
      name: 'a session whose cutoff has passed takes no more cases',
      sessions: [session('s1', 1), session('s2', 8)],
      candidates: [nom('a', 'imminent', 1)],
      on: { a: 's2#1' },
    },
    {
      name: 'cancelled sessions and sessions taking no cases are skipped',
      sessions: [session('s1', 7, { cancelled: true }), session('s2', 8, { capacity: 0 }), session('s3', 9)],
      candidates: [nom('a', 'routine', 1)],
      on: { a: 's3#1' },
    },
    {
      name: 'within a risk level a displaced case goes before new ones; a higher risk still goes first',
      sessions: [session('s2', 14, { capacity: 2 })],
      candidates: [
        nom('new-old', 'urgent', 100),
        nom('moved', 'urgent', 1, { displaced: true }),
        nom('new-imminent', 'imminent', 1),
      ],
      on: { 'new-imminent': 's2#1', moved: 's2#2' },
      unplaced: ['new-old'],
    },
    {
      name: 'a moved case goes to a session after the one it was moved from',
      sessions: [session('s1', 7), session('s2', 14)],
      candidates: [nom('a', 'routine', 1, { displaced: true, after: NOW + 7 * DAY })],
      on: { a: 's2#1' },
    },
    {
      name: 'the preferred series kind first, then any kind',
      sessions: [session('hub1', 7), session('ccit1', 20, { seriesKind: 'ccit', capacity: 1 }), session('hub2', 14)],
      candidates: [
        nom('c1', 'urgent', 2, { preferredKind: 'ccit' }),
        nom('c2', 'urgent', 1, { preferredKind: 'ccit' }),
        nom('x', 'routine', 1, { preferredKind: 'clear' }),
      ],
      on: { c1: 'ccit1#1', c2: 'hub1#1', x: 'hub1#2' },
    },
    {
      name: 'status updates take their place like new cases',
      sessions: [session('s1', 7, { capacity: 1 })],
      candidates: [nom('new', 'routine', 5), nom('update', 'urgent', 1, { kind: 'status-update' })],
      on: { update: 's1#1' },
      unplaced: ['new'],
    },
    {
      name: 'sessions are taken in start order whatever the input order',
      sessions: [session('late', 21), session('early', 7), session('mid', 14)],
      candidates: [nom('a', 'routine', 1)],
      on: { a: 'early#1' },
    },
  ])('$name', ({ sessions, candidates, on, unplaced = [] }) => {
    expect(where(sessions, candidates)).toEqual({ on, unplaced });
  });

  it('keeps the kind of each placement and returns placements in priority order', () => {
    const { placements } = slotCases(
      [session('s1', 7, { capacity: 5 })],
      [nom('a', 'routine', 1), nom('b', 'imminent', 1, { kind: 'status-update' })],
      NOW,
    );
    expect(placements).toEqual([
      { nominationId: 'b', sessionId: 's1', position: 1, kind: 'status-update' },
      { nominationId: 'a', sessionId: 's1', position: 2, kind: 'new' },
    ]);
  });

  it('is deterministic: shuffled input gives the same result', () => {
    const sessions = Array.from({ length: 10 }, (_, i) => session(`s${i}`, 7 + i * 7, { capacity: 3 }));
    const risks: RiskLevel[] = ['none', 'routine', 'urgent', 'imminent'];
    const candidates = Array.from({ length: 40 }, (_, i) => nom(`n${i}`, risks[i % 4]!, i % 7));
    const first = slotCases(sessions, candidates, NOW);
    const shuffled = [...candidates].reverse();
    expect(slotCases([...sessions].reverse(), shuffled, NOW)).toEqual(first);
    expect(first.placements).toHaveLength(30);
    expect(first.unplaced).toHaveLength(10);
    // Everything unplaced is of no higher priority than anything placed.
    const byId = new Map(candidates.map((c) => [c.nominationId, c]));
    const lastPlaced = byId.get(first.placements.at(-1)!.nominationId)!;
    for (const id of first.unplaced) expect(compareCandidates(lastPlaced, byId.get(id)!)).toBeLessThan(0);
  });

  it('never places more cases on a session than its capacity', () => {
    const sessions = Array.from({ length: 52 }, (_, i) =>
      session(`s${i}`, 3 + i * 7, { capacity: 1 + (i % 5), placed: i % 3 === 0 ? 1 : 0 }),
    );
    const candidates = Array.from({ length: 500 }, (_, i) =>
      nom(`n${i}`, 'routine', i, { preferredKind: i % 2 ? 'hub' : 'ccit' }),
    );
    const { placements } = slotCases(sessions, candidates, NOW);
    const count = new Map<string, number>();
    for (const p of placements) count.set(p.sessionId, (count.get(p.sessionId) ?? 0) + 1);
    for (const s of sessions)
      expect((count.get(s.id) ?? 0) + s.placed).toBeLessThanOrEqual(Math.max(s.capacity, s.placed));
    expect(placements.length).toBe(sessions.reduce((n, s) => n + Math.max(0, s.capacity - s.placed), 0));
  });
});

describe('identityLevelOf', () => {
  it.each([
    ['de-identified', 'de-identified'],
    ['redacted', 'de-identified'],
    ['limited-identity', 'limited-identity'],
    ['planning', 'limited-identity'],
  ])('%s → %s', (stage, level) => expect(identityLevelOf(stage)).toBe(level));
});
