/** Base of the stable problem `type` URIs (RFC 9457); clients switch on the full URI, never on titles. */
export const PROBLEM_TYPE_BASE = 'https://cit-platform.org/problems/';

/** The stable problem `type` URI of a kebab-case slug, e.g. problemType('import-limit-exceeded'). */
export function problemType(slug: string): string {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(slug)) throw new Error(`problem type slug must be kebab-case: ${slug}`);
  return `${PROBLEM_TYPE_BASE}${slug}`;
}
