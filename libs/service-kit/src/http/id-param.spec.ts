import { ProblemException, toProblem, ProblemType } from './problem-details';
import { isWellFormedId, ParseIdPipe } from './id-param';

describe('ids in paths', () => {
  const id = `inc_${'0123456789abcdef'.repeat(2)}`;

  it('accepts generated ids, with their prefix when one is asked for', () => {
    expect(isWellFormedId(id)).toBe(true);
    expect(isWellFormedId(id, 'inc')).toBe(true);
    expect(isWellFormedId(id, 'per')).toBe(false);
    for (const bad of [
      '',
      'inc_',
      `inc_${'0'.repeat(31)}\u0000`,
      `INC_${'0'.repeat(32)}`,
      `inc_${'0'.repeat(33)}`,
      'not-an-id',
      `inc_${'g'.repeat(32)}`,
      42,
    ]) {
      expect(isWellFormedId(bad)).toBe(false);
    }
  });

  it('turns a malformed id into a 404 problem that does not echo it', () => {
    const pipe = new ParseIdPipe();
    expect(pipe.transform(id)).toBe(id);
    let error: unknown;
    try {
      pipe.transform('secret\u0000value');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProblemException);
    const problem = toProblem(error);
    expect(problem).toMatchObject({ status: 404, type: ProblemType.notFound });
    expect(JSON.stringify(problem)).not.toContain('secret');
  });
});
