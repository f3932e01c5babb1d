import { addBusinessDays, DEFAULT_SLA, slaBreach, slaDeadlines } from './sla';

const ZONE = 'America/New_York';
const MIN = 60_000;

describe('SLA deadlines', () => {
  it.each([
    ['emergent', 5, 15],
    ['urgent', 15, 60],
  ] as const)('%s: received within %i min, accepted within %i min', (urgency, receive, accept) => {
    const at = new Date('2026-12-02T20:00:00Z');
    const d = slaDeadlines(DEFAULT_SLA, urgency, at, ZONE);
    expect(d.receiveBy!.getTime() - at.getTime()).toBe(receive * MIN);
    expect(d.acceptBy.getTime() - at.getTime()).toBe(accept * MIN);
  });

  it.each([
    ['Wednesday', '2026-12-02T15:00:00Z', '2026-12-04T15:00:00.000Z'],
    ['Thursday', '2026-12-03T15:00:00Z', '2026-12-07T15:00:00.000Z'],
    ['Friday evening', '2026-12-04T23:00:00Z', '2026-12-08T23:00:00.000Z'],
    ['Saturday', '2026-12-05T15:00:00Z', '2026-12-08T15:00:00.000Z'],
  ])('routine requested on a %s: accepted within 2 business days', (_day, at, by) => {
    expect(slaDeadlines(DEFAULT_SLA, 'routine', new Date(at), ZONE)).toEqual({
      receiveBy: null,
      acceptBy: new Date(by),
    });
    expect(addBusinessDays(new Date(at), 2, ZONE).toISOString()).toBe(by);
  });

  it.each([
    ['requested', -1, -1, null],
    ['requested', 1, -1, 'sla-not-received'],
    ['requested', 1, 1, 'sla-not-received'],
    ['received', 1, -1, null],
    ['received', 1, 1, 'sla-not-accepted'],
    ['accepted', 1, 1, null],
  ] as const)('%s, receive deadline passed %i, accept deadline passed %i → %s', (status, r, a, breach) => {
    const now = new Date('2026-12-02T20:00:00Z');
    const at = (passed: number) => new Date(now.getTime() - passed * MIN);
    expect(slaBreach(status, { receiveBy: at(r), acceptBy: at(a) }, now)).toBe(breach);
  });
});
