import type { DepartmentBlindIndex } from '@cit/persistence';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** A request in canonical form: the same body in another key order is the same text. */
export function canonicalRequest(request: unknown): string {
  return JSON.stringify(canonical(request));
}

/**
 * Keyed fingerprint of a request in its department (HMAC with the department's derived key,
 * active blind-index version): a stored fingerprint of a PHI-bearing body cannot be confirmed
 * by guessing bodies, and two departments' fingerprints of one body are unrelated.
 */
export function requestFingerprint(index: DepartmentBlindIndex, request: unknown): string {
  return index.fingerprint(canonicalRequest(request));
}

/**
 * True when a stored fingerprint is this request's: under the active version, the previous
 * one during a rotation, or the unkeyed legacy digest. One under a version no longer accepted
 * never matches (the retry is refused as a different request, never replayed nor duplicated).
 */
export function fingerprintMatches(index: DepartmentBlindIndex, stored: string, request: unknown): boolean {
  return index.fingerprintMatches(stored, canonicalRequest(request));
}
