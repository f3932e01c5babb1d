import { decidePersons, personLockKeys, resolveMergedPerson, unknownIndexes } from './person-matching';

const ids = () => {
  let n = 0;
  return () => `per_new${++n}`;
};
const none = { byMatchIndex: new Map<string, string>(), byPhoneIndex: new Map<string, string>() };
const s = (id: string, m: string | null, p: string | null) => ({ id, personMatchIndex: m, personPhoneIndex: p });

describe('decidePersons', () => {
  it('joins the person of the same name + dob index', () => {
    const d = decidePersons([s('s1', 'M1', null)], { ...none, byMatchIndex: new Map([['M1', 'per_a']]) }, ids());
    expect(d.personBySubject.get('s1')).toBe('per_a');
    expect(d.newPersonIds).toEqual([]);
  });

  it('falls back to the name + phone index', () => {
    const d = decidePersons([s('s1', 'M9', 'P1')], { ...none, byPhoneIndex: new Map([['P1', 'per_b']]) }, ids());
    expect(d.personBySubject.get('s1')).toBe('per_b');
  });

  it('prefers the dob match over the phone match', () => {
    const d = decidePersons(
      [s('s1', 'M1', 'P1')],
      { byMatchIndex: new Map([['M1', 'per_a']]), byPhoneIndex: new Map([['P1', 'per_b']]) },
      ids(),
    );
    expect(d.personBySubject.get('s1')).toBe('per_a');
  });

  it('creates one new person per unmatched identity, shared within the batch', () => {
    const d = decidePersons(
      [s('s1', 'M1', null), s('s2', 'M1', 'P1'), s('s3', null, 'P1'), s('s4', 'M2', null), s('s5', null, null)],
      none,
      ids(),
    );
    expect([...d.personBySubject]).toEqual([
      ['s1', 'per_new1'],
      ['s2', 'per_new1'],
      ['s3', 'per_new1'],
      ['s4', 'per_new2'],
      ['s5', 'per_new3'],
    ]);
    expect(d.newPersonIds).toEqual(['per_new1', 'per_new2', 'per_new3']);
  });

  it('never re-points an index another person already holds', () => {
    const d = decidePersons(
      [s('s1', 'M1', 'P1')],
      { byMatchIndex: new Map([['M1', 'per_a']]), byPhoneIndex: new Map([['P1', 'per_b']]) },
      ids(),
    );
    const next = decidePersons(
      [s('s2', null, 'P1')],
      { byMatchIndex: new Map([['M1', 'per_a']]), byPhoneIndex: new Map([['P1', 'per_b']]) },
      ids(),
    );
    expect(d.personBySubject.get('s1')).toBe('per_a');
    expect(next.personBySubject.get('s2')).toBe('per_b');
  });
});

describe('decidePersons: new identifiers', () => {
  const known = { byMatchIndex: new Map([['M1', 'per_a']]), byPhoneIndex: new Map([['P1', 'per_b']]) };
  it.each([
    ['a known index adds nothing', [s('s1', 'M1', null)], []],
    ['a known person with a new phone gets that phone', [s('s1', 'M1', 'P9')], [['phone', 'P9', 'per_a']]],
    ['a phone match with a new dob gets that dob', [s('s1', 'M9', 'P1')], [['dob', 'M9', 'per_b']]],
    [
      'a new person gets both of its indexes',
      [s('s1', 'M8', 'P8')],
      [
        ['dob', 'M8', 'per_new1'],
        ['phone', 'P8', 'per_new1'],
      ],
    ],
    [
      'the first subject of a batch holding an index keeps it',
      [s('s1', null, 'P7'), s('s2', 'M7', 'P7'), s('s3', null, 'P7')],
      [
        ['phone', 'P7', 'per_new1'],
        ['dob', 'M7', 'per_new1'],
      ],
    ],
    ['no index, no identifier (but a new person)', [s('s1', null, null)], []],
  ])('%s', (_name, subjects, expected) => {
    const d = decidePersons(subjects, known, ids());
    expect(d.newIdentifiers.map((i) => [i.kind, i.index, i.personId])).toEqual(expected);
  });
});

describe('unknownIndexes', () => {
  const known = { byMatchIndex: new Map([['M1', 'per_a']]), byPhoneIndex: new Map([['P1', 'per_b']]) };
  it.each([
    ['a frequent contact under known indexes creates nothing (no lock)', [s('s1', 'M1', 'P1')], []],
    ['only the unknown index of a subject is kept', [s('s1', 'M1', 'P2')], [s('s1', null, 'P2')]],
    ['a new identity keeps both', [s('s1', 'M2', 'P2')], [s('s1', 'M2', 'P2')]],
    ['a subject without indexes needs no lock', [s('s1', null, null)], []],
  ])('%s', (_name, subjects, expected) => {
    expect(unknownIndexes(subjects, known)).toEqual(expected);
  });
});

describe('resolveMergedPerson', () => {
  it('follows merges to the surviving person and stops on a cycle', () => {
    expect(
      resolveMergedPerson(
        'a',
        new Map([
          ['a', 'b'],
          ['b', 'c'],
        ]),
      ),
    ).toBe('c');
    expect(resolveMergedPerson('x', new Map([['a', 'b']]))).toBe('x');
    expect(['a', 'b']).toContain(
      resolveMergedPerson(
        'a',
        new Map([
          ['a', 'b'],
          ['b', 'a'],
        ]),
      ),
    );
  });
});

describe('personLockKeys', () => {
  it('is one sorted key per distinct index, department-specific', () => {
    const keys = personLockKeys('d1', [s('s1', 'M1', 'P1'), s('s2', 'M1', null)]);
    expect(keys).toHaveLength(2);
    expect([...keys].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(keys);
    expect(personLockKeys('d2', [s('s1', 'M1', null)])[0]).not.toBe(personLockKeys('d1', [s('s1', 'M1', null)])[0]);
  });
});
