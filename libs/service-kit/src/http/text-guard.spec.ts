import { findTextDefects, pathHasTextDefect, queryEncodingDefects, textDefect } from './text-guard';

describe('textDefect', () => {
  it('refuses NUL and unpaired surrogates, keeps any other text', () => {
    expect(textDefect('a\u0000b')).toMatch(/NUL/);
    expect(textDefect('a\uD800b')).toMatch(/unpaired surrogate/);
    expect(textDefect('a\uDC00')).toMatch(/unpaired surrogate/);
    expect(textDefect('\uDBFF')).toMatch(/unpaired surrogate/);
    for (const fine of ['', 'plain', 'Zoë Ñúñez', 'emoji \uD83D\uDE00 pair', 'tab\tand\nnewline', '\u00FF\uFFFD']) {
      expect(textDefect(fine)).toBeUndefined();
    }
  });
});

describe('findTextDefects', () => {
  it('names every bad string by its dotted path, as the validation pipe names fields', () => {
    const body = {
      narrative: 'x\u0000',
      subjects: [{ name: 'ok' }, { name: 'y\uD800', flags: { a: 'fine' } }],
      count: 3,
      none: null,
    };
    expect(
      findTextDefects(body)
        .map((e) => e.field)
        .sort(),
    ).toEqual(['narrative', 'subjects.1.name']);
    expect(findTextDefects('\u0000')).toEqual([{ field: '(body)', detail: expect.stringMatching(/NUL/) }]);
    expect(findTextDefects({ fine: ['a', 'b'] })).toEqual([]);
  });

  it('names a bad key by where it sits, without echoing it', () => {
    const [defect] = findTextDefects({ location: { ['secret\u0000key']: 1 } });
    expect(defect).toEqual({ field: 'location', detail: expect.stringMatching(/field name/) });
    expect(JSON.stringify(defect)).not.toContain('secret');
  });

  it('walks deep nesting without recursion and stops after max findings', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findTextDefects(deep)).toHaveLength(1);
    expect(
      findTextDefects(
        Array.from({ length: 100 }, () => '\u0000'),
        '',
        5,
      ),
    ).toHaveLength(5);
  });
});

describe('pathHasTextDefect', () => {
  it('finds NUL, encoded surrogates and invalid UTF-8 in any segment', () => {
    for (const bad of [
      '/v1/incidents/%00',
      '/v1/incidents/inc_%00/supplements',
      '/v1/x/%ED%A0%80',
      '/v1/x/%C0%80',
      '/v1/x/%F0%9F',
      '/v1/x/%E0%A4%A',
    ]) {
      expect(pathHasTextDefect(bad)).toBe(true);
    }
    for (const fine of ['/v1/incidents', '/v1/incidents/inc_0123', '/v1/x/%20y', '/v1/x/%F0%9F%98%80']) {
      expect(pathHasTextDefect(fine)).toBe(false);
    }
  });
});

describe('queryEncodingDefects', () => {
  it('names parameters whose escapes are not UTF-8 or are broken, and nothing else', () => {
    expect(queryEncodingDefects('user=%FF&limit=5&person=%ED%A0%80&q=%zz&r=%')).toEqual([
      { field: 'user', detail: expect.stringMatching(/not valid percent-encoded UTF-8/) },
      { field: 'person', detail: expect.any(String) },
      { field: 'q', detail: expect.any(String) },
      { field: 'r', detail: expect.any(String) },
    ]);
    expect(queryEncodingDefects('%FF=1')).toEqual([{ field: '(query)', detail: expect.any(String) }]);
    expect(queryEncodingDefects('name=Zo%C3%AB+%C3%91&from=2024-01-01T00%3A00%3A00Z&empty=&flag')).toEqual([]);
  });
});
