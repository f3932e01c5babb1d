import { copyField, copyTextArray, subjectCopyLine } from './copy-text';

describe('COPY text encoding', () => {
  it.each([
    [null, '\\N'],
    [undefined, '\\N'],
    [true, 't'],
    [false, 'f'],
    [42.5, '42.5'],
    ['plain', 'plain'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak\r', 'line\\nbreak\\r'],
    ['back\\slash', 'back\\\\slash'],
    ['\\N', '\\\\N'],
  ])('%p → %p', (value, expected) => {
    expect(copyField(value)).toBe(expected);
  });

  it('refuses numbers PostgreSQL would not read back', () => {
    expect(() => copyField(Number.NaN)).toThrow();
  });

  it('writes text[] as a quoted array literal', () => {
    expect(copyTextArray([])).toBe('{}');
    expect(copyTextArray(['intoxication', 'weapon-present'])).toBe('{"intoxication","weapon-present"}');
    expect(copyTextArray(['a"b'])).toBe('{"a\\\\"b"}');
  });

  it('completes a subject line with its person', () => {
    expect(subjectCopyLine('sub_1\tinc_1', 'per_1')).toBe('sub_1\tinc_1\tper_1\n');
    expect(subjectCopyLine('sub_1\tinc_1', null)).toBe('sub_1\tinc_1\t\\N\n');
  });
});
