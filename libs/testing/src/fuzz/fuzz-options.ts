import { execFileSync } from 'node:child_process';
import { buildSeed, type FuzzOptions } from './api-fuzz';

function currentCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * The fuzz budget of `npm test`, overridable for a deeper or a repeated run: FUZZ_SEED
 * (default: derived from the commit, so one build always replays the same requests),
 * FUZZ_RUNS and FUZZ_VALID_RUNS per operation, FUZZ_ONLY to run the operations whose key contains it
 * (operations that draw their path ids from records earlier ones created may then answer 404:
 * to replay a failure exactly, repeat the whole service's run with its FUZZ_SEED).
 */
export function fuzzOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): FuzzOptions {
  return {
    seed: buildSeed(env, currentCommit()),
    malformedRuns: positive(env.FUZZ_RUNS, 24),
    validRuns: positive(env.FUZZ_VALID_RUNS, 8),
    only: env.FUZZ_ONLY || undefined,
    propertyTimeLimitMs: positive(env.FUZZ_PROPERTY_TIME_LIMIT_MS, 60_000),
  };
}
