import { availableParallelism } from 'node:os';
import { importLimitsFromEnv, ImportLimitError, ImportProblem } from './import-limits';

describe('import limits', () => {
  it('has defaults for every cap', () => {
    expect(importLimitsFromEnv({})).toEqual({
      maxFieldsPerRecord: 64,
      maxFieldChars: 100_000,
      maxBytes: 2 * 1024 ** 3,
      maxRows: 5_000_000,
      maxConcurrentPerDepartment: 2,
      requestTimeoutMs: 7_200_000,
      workers: Math.max(1, availableParallelism() - 1),
    });
    expect(importLimitsFromEnv({ INTAKE_IMPORT_WORKERS: '3' }).workers).toBe(3);
    expect(() => importLimitsFromEnv({ INTAKE_IMPORT_WORKERS: '0' })).toThrow('INTAKE_IMPORT_WORKERS');
  });

  it('reads each variable and names a bad one', () => {
    expect(importLimitsFromEnv({ INTAKE_IMPORT_MAX_ROWS: '10', INTAKE_IMPORT_MAX_CONCURRENT: '1' })).toMatchObject({
      maxRows: 10,
      maxConcurrentPerDepartment: 1,
    });
    expect(() => importLimitsFromEnv({ INTAKE_IMPORT_MAX_BYTES: 'lots' })).toThrow('INTAKE_IMPORT_MAX_BYTES');
    expect(() => importLimitsFromEnv({ INTAKE_IMPORT_MAX_FIELDS: '0' })).toThrow('INTAKE_IMPORT_MAX_FIELDS');
  });

  it('maps a cap to problem+json naming it: 429 for concurrency, 413 for size', () => {
    const busy = new ImportLimitError('maxConcurrentPerDepartment', 2, '2 imports are running').toProblem();
    expect(busy.getStatus()).toBe(429);
    expect(busy.problemType).toBe(ImportProblem.tooManyImports);
    const big = new ImportLimitError('maxRows', 10, 'the body has more rows').toProblem();
    expect(big.getStatus()).toBe(413);
    expect(big.detail).toBe('maxRows (10) exceeded: the body has more rows');
  });
});
