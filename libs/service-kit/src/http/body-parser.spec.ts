import { byteSize, charsetOf, UnsupportedCharsetError } from './body-parser';
import { ProblemType, toProblem } from './problem-details';

describe('charsetOf', () => {
  it('reads the charset parameter however it is spelled, and nothing else', () => {
    expect(charsetOf('application/json; charset=UTF-16')).toBe('utf-16');
    expect(charsetOf('application/json;charset="latin1"')).toBe('latin1');
    expect(charsetOf('application/json ; Charset = utf-8')).toBe('utf-8');
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });

  it('maps a body in another charset to 415 problem+json', () => {
    expect(toProblem(new UnsupportedCharsetError())).toMatchObject({
      type: ProblemType.unsupportedMediaType,
      status: 415,
    });
  });
});

describe('byteSize', () => {
  it('reads HTTP_BODY_LIMIT sizes', () => {
    expect(byteSize('256kb')).toBe(262_144);
    expect(() => byteSize('lots')).toThrow(/not a size/);
  });
});
