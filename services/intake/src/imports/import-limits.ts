import { availableParallelism } from 'node:os';
import { HttpStatus } from '@nestjs/common';
import { problemType } from '@cit/contracts';
import { ProblemException } from '@cit/service-kit';
import { z } from 'zod';

/**
 * Caps of a bulk import, each with an optional INTAKE_IMPORT_* variable, read once at boot.
 * Defaults fit years of one department's RMS history while bounding what one request can cost.
 */
export const importLimitsEnvSchema = z.object({
  /** Fields in one CSV record (the format has 22 columns). */
  INTAKE_IMPORT_MAX_FIELDS: z.coerce.number().int().min(1).max(10_000).default(64),
  /** Characters in one CSV field or NDJSON line field (narratives are at most 20,000). */
  INTAKE_IMPORT_MAX_FIELD_CHARS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  /** Bytes of one import body. */
  INTAKE_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(2 * 1024 ** 3),
  /** Rows (records after the CSV header, or NDJSON lines) of one import. */
  INTAKE_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(5_000_000),
  /** Imports running at once in one department, across replicas. */
  INTAKE_IMPORT_MAX_CONCURRENT: z.coerce.number().int().min(1).max(100).default(2),
  /** How long one import request may take; the only route allowed longer than the default request timeout. */
  INTAKE_IMPORT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(2 * 60 * 60 * 1000),
  /** Worker threads preparing import rows (validation, encryption, blind indexes); default: one per core but one, at least one. */
  INTAKE_IMPORT_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
});

export interface ImportLimits {
  maxFieldsPerRecord: number;
  maxFieldChars: number;
  maxBytes: number;
  maxRows: number;
  maxConcurrentPerDepartment: number;
  requestTimeoutMs: number;
  /** Size of the preparation worker pool, shared by the imports of this process. */
  workers: number;
}

/** Nest token of the ImportLimits in force. */
export const IMPORT_LIMITS = Symbol('IMPORT_LIMITS');

/** Reads the import caps from the environment; throws naming each invalid variable. */
export function importLimitsFromEnv(env: NodeJS.ProcessEnv): ImportLimits {
  const parsed = importLimitsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  return {
    maxFieldsPerRecord: e.INTAKE_IMPORT_MAX_FIELDS,
    maxFieldChars: e.INTAKE_IMPORT_MAX_FIELD_CHARS,
    maxBytes: e.INTAKE_IMPORT_MAX_BYTES,
    maxRows: e.INTAKE_IMPORT_MAX_ROWS,
    maxConcurrentPerDepartment: e.INTAKE_IMPORT_MAX_CONCURRENT,
    requestTimeoutMs: e.INTAKE_IMPORT_TIMEOUT_MS,
    workers: e.INTAKE_IMPORT_WORKERS ?? Math.max(1, availableParallelism() - 1),
  };
}

/** Stable problem types of the import caps. */
export const ImportProblem = {
  limitExceeded: problemType('import-limit-exceeded'),
  tooManyImports: problemType('too-many-imports'),
} as const;

export type ImportCap = Exclude<keyof ImportLimits, 'requestTimeoutMs' | 'workers'>;

/** A cap stopped the import. The message names the cap and a line number, never row content. */
export class ImportLimitError extends Error {
  constructor(
    readonly cap: ImportCap,
    readonly limit: number,
    what: string,
  ) {
    super(`${cap} (${limit}) exceeded: ${what}`);
  }

  toProblem(): ProblemException {
    const status =
      this.cap === 'maxConcurrentPerDepartment' ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.PAYLOAD_TOO_LARGE;
    const type = this.cap === 'maxConcurrentPerDepartment' ? ImportProblem.tooManyImports : ImportProblem.limitExceeded;
    return new ProblemException(type, status, 'Import limit exceeded', this.message);
  }
}
