import { jestCounts, summaryLine } from './jest-report.cjs';

describe('test summary', () => {
  it('counts jest results, including suites that failed to run', () => {
    const report = {
      testResults: [
        { status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'pending' }, { status: 'todo' }] },
        { status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'passed' }] },
        { status: 'failed', assertionResults: [] },
      ],
    };
    expect(jestCounts(report)).toEqual({ passed: 2, failed: 2, skipped: 2 });
  });

  it('prints "N passed, N failed" with skipped only when there are some', () => {
    expect(summaryLine({ passed: 2, failed: 2, skipped: 2 })).toBe('2 passed, 2 failed, 2 skipped');
    expect(summaryLine({ passed: 5, failed: 0, skipped: 0 })).toBe('5 passed, 0 failed');
  });
});
