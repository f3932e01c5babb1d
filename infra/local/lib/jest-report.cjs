'use strict';
// Counting `jest --json` reports for the summary of `cit test`. CommonJS so that jest can test it.

/**
 * Counts of a `jest --json` report; a suite that failed without a failing test counts as one failure.
 * @param {{ testResults?: { status?: string, assertionResults?: { status: string }[] }[] }} report
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
function jestCounts(report) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const suite of report.testResults || []) {
    let suiteFailed = 0;
    for (const a of suite.assertionResults || []) {
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') {
        failed++;
        suiteFailed++;
      } else skipped++; // every other jest status counts as skipped
    }
    if (suite.status === 'failed' && suiteFailed === 0) failed++;
  }
  return { passed, failed, skipped };
}

/**
 * The line `cit test` prints last: "N passed, N failed[, N skipped]".
 * @param {{ passed: number, failed: number, skipped: number }} total
 * @returns {string}
 */
function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
}

module.exports = { jestCounts, summaryLine };
