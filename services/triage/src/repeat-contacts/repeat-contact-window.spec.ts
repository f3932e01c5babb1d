import { recordIncident, type WindowState } from './repeat-contact-window';

const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000);
const rule = { incidents: 3, windowDays: 30 };

/** Feeds incidents (id, day) in order; returns the day of the incident that nominated, per nomination. */
function run(incidents: [string, number][], r = rule) {
  let state: WindowState = { recent: [], nominatedThrough: null };
  const nominations: string[][] = [];
  for (const [id, d] of incidents) {
    const res = recordIncident(state, { incidentId: id, at: day(d) }, r);
    state = res.state;
    if (res.nomination) nominations.push(res.nomination.incidentIds);
  }
  return { nominations, remembered: state.recent.length };
}

describe('repeat-contact window', () => {
  it.each([
    [
      'two incidents: nothing',
      [
        ['a', 1],
        ['b', 5],
      ],
      [],
    ],
    [
      'three within 30 days: one nomination',
      [
        ['a', 1],
        ['b', 5],
        ['c', 20],
      ],
      [['a', 'b', 'c']],
    ],
    [
      'three spanning 31 days: nothing',
      [
        ['a', 1],
        ['b', 5],
        ['c', 32],
      ],
      [],
    ],
    [
      'exactly 30 days apart counts',
      [
        ['a', 1],
        ['b', 5],
        ['c', 31],
      ],
      [['a', 'b', 'c']],
    ],
    [
      'a fourth in the same window: still one nomination',
      [
        ['a', 1],
        ['b', 5],
        ['c', 10],
        ['d', 12],
      ],
      [['a', 'b', 'c']],
    ],
    [
      'three fresh incidents after the window: a second nomination',
      [
        ['a', 1],
        ['b', 5],
        ['c', 10],
        ['d', 50],
        ['e', 55],
        ['f', 60],
      ],
      [
        ['a', 'b', 'c'],
        ['d', 'e', 'f'],
      ],
    ],
    [
      'overlapping incidents never count twice',
      [
        ['a', 1],
        ['b', 2],
        ['c', 3],
        ['d', 4],
        ['e', 5],
        ['f', 6],
      ],
      [
        ['a', 'b', 'c'],
        ['d', 'e', 'f'],
      ],
    ],
    [
      'the same incident twice counts once',
      [
        ['a', 1],
        ['a', 1],
        ['b', 2],
      ],
      [],
    ],
    [
      'out of order arrival (an import) still counts',
      [
        ['c', 20],
        ['a', 1],
        ['b', 5],
      ],
      [['a', 'b', 'c']],
    ],
    [
      'an old incident arriving late does not complete an expired window',
      [
        ['b', 40],
        ['c', 45],
        ['a', 1],
      ],
      [],
    ],
  ] as [string, [string, number][], string[][]][])('%s', (_n, incidents, expected) => {
    expect(run(incidents).nominations).toEqual(expected);
  });

  it('remembers at most N incidents whatever the history', () => {
    const history = Array.from({ length: 500 }, (_, i) => [`i${i}`, i * 40] as [string, number]);
    expect(run(history).remembered).toBe(3);
  });
});
