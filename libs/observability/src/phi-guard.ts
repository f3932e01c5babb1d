/**
 * Field names that hold PHI or identity. A log line never carries their values,
 * whatever the nesting; ids and codes pass through.
 */
export const PHI_FIELD_NAMES: ReadonlySet<string> = new Set(
  [
    'name',
    'firstName',
    'lastName',
    'middleName',
    'fullName',
    'dateOfBirth',
    'dob',
    'birthDate',
    'phone',
    'phoneNumber',
    'email',
    'address',
    'street',
    'narrative',
    'supplement',
    'notes',
    'ssn',
    'password',
    'token',
    'authorization',
    'cookie',
    'body',
  ].map((n) => n.toLowerCase()),
);

export const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;

/** Returns a copy of a log object with the values of PHI-named fields replaced by [REDACTED]. */
export function redactPhi<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED as unknown as T;
  if (value instanceof Error) {
    return { type: value.name, message: value.message, stack: value.stack } as unknown as T;
  }
  if (Array.isArray(value)) return value.map((v) => redactPhi(v, depth + 1)) as unknown as T;
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = PHI_FIELD_NAMES.has(k.toLowerCase()) ? REDACTED : redactPhi(v, depth + 1);
  }
  return out as T;
}
