import { createHash } from 'node:crypto';

/** A strong ETag of a feed body (its SHA-256, base64url): equal bytes, equal tag. */
export function feedEtag(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

/**
 * True when an If-None-Match header names etag (RFC 9110 13.1.2: weak comparison, a list of
 * tags or "*"), so the answer is 304.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return value.split(',').some((tag) => opaque(tag) === opaque(etag));
}
