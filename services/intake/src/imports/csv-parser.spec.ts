import { CsvLimitError, CsvParser, type CsvRecord } from './csv-parser';

function parse(text: string, chunkSize = text.length || 1): CsvRecord[] {
  const p = new CsvParser();
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...p.push(text.slice(i, i + chunkSize)));
  return [...out, ...p.end()];
}

describe('CsvParser', () => {
  const cases: [string, string, { line: number; fields: string[] }[]][] = [
    [
      'plain LF',
      'a,b\n1,2\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
      ],
    ],
    [
      'CRLF',
      'a,b\r\n1,2\r\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
      ],
    ],
    [
      'no final newline',
      'a,b\n1,2',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
      ],
    ],
    [
      'quoted comma and escaped quote',
      'x\n"a, ""b"" c",d\n',
      [
        { line: 1, fields: ['x'] },
        { line: 2, fields: ['a, "b" c', 'd'] },
      ],
    ],
    [
      'embedded newline keeps the start line and counts lines',
      'h\n"line one\nline two",z\nnext,1\n',
      [
        { line: 1, fields: ['h'] },
        { line: 2, fields: ['line one\nline two', 'z'] },
        { line: 4, fields: ['next', '1'] },
      ],
    ],
    [
      'embedded CRLF',
      '"a\r\nb"\r\nc\r\n',
      [
        { line: 1, fields: ['a\r\nb'] },
        { line: 3, fields: ['c'] },
      ],
    ],
    ['empty fields and trailing comma', ',a,,\n', [{ line: 1, fields: ['', 'a', '', ''] }]],
    [
      'blank lines skipped, still counted',
      'a\n\n\r\nb\n',
      [
        { line: 1, fields: ['a'] },
        { line: 4, fields: ['b'] },
      ],
    ],
    ['empty quoted field', '"",x\n', [{ line: 1, fields: ['', 'x'] }]],
  ];

  it.each(cases)('%s (whole and one character per chunk)', (_name, text, expected) => {
    expect(parse(text)).toEqual(expected);
    expect(parse(text, 1)).toEqual(expected);
    expect(parse(text, 3)).toEqual(expected);
  });

  it('reports an unterminated quote without quoting the content', () => {
    const [rec] = parse('"secret name,1\n');
    expect(rec!.error).toBe('unterminated quoted field');
    expect(rec!.error).not.toContain('secret');
  });

  it('reports text after a closing quote and carries on with the next record', () => {
    const recs = parse('"a"b,c\nd,e\n');
    expect(recs[0]).toMatchObject({ line: 1, error: expect.stringContaining('malformed quoted field') });
    expect(recs[1]).toEqual({ line: 2, fields: ['d', 'e'] });
  });

  it('caps a record at maxRecordChars instead of buffering it', () => {
    const p = new CsvParser({ maxRecordChars: 10 });
    const out = [...p.push(`${'x'.repeat(50)},y\nok\n`), ...p.end()];
    expect(out[0]).toMatchObject({ line: 1, error: 'record longer than 10 characters' });
    expect(out[0]!.fields.join('').length).toBeLessThanOrEqual(10);
    expect(out[1]).toEqual({ line: 2, fields: ['ok'] });
  });

  it('refuses a record with more than maxFields fields, naming the line, not the values', () => {
    const p = new CsvParser({ maxFields: 3 });
    expect(p.push('a,b,c\n')).toHaveLength(1);
    expect(() => p.push('secret,b,c,d\n')).toThrow(new CsvLimitError('fields', 3, 2));
    expect(() => new CsvParser({ maxFields: 3 }).push('a,b,c,d')).toThrow('more than 3 fields');
  });

  it('refuses a field longer than maxFieldChars, also when it straddles chunks', () => {
    const p = new CsvParser({ maxFieldChars: 5 });
    expect(p.push('"12345",x\n')).toHaveLength(1);
    p.push('"123');
    expect(() => p.push('456"\n')).toThrow(new CsvLimitError('fieldChars', 5, 2));
    expect(() => new CsvParser({ maxFieldChars: 5 }).push('topsecret\n')).toThrow(/^(?!.*topsecret)/);
  });
});
