import { NdjsonLineSplitter } from './ndjson-lines';

describe('NdjsonLineSplitter', () => {
  it('splits across chunks, strips CR, skips blank lines but counts them', () => {
    const s = new NdjsonLineSplitter();
    const out = [...s.push('{"a":1}\r\n\n{"b"'), ...s.push(':2}\n  \n{"c":3}'), ...s.end()];
    expect(out).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
      { line: 5, text: '{"c":3}' },
    ]);
  });

  it('reports an overlong line without keeping it', () => {
    const s = new NdjsonLineSplitter(5);
    expect([...s.push('123'), ...s.push('4567\nok\n'), ...s.end()]).toEqual([
      { line: 1, text: '', tooLong: true },
      { line: 2, text: 'ok' },
    ]);
  });
});
