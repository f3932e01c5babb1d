/**
 * Keyset cursor over (occurred_at DESC, id DESC). The timestamp travels as PostgreSQL's own
 * text form so microseconds survive the round trip (a JS Date would drop them and skip rows).
 */
export interface IncidentCursor {
  occurredAt: string;
  id: string;
}

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function encodeIncidentCursor(cursor: IncidentCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or undefined when it is not one this API issued. */
export function decodeIncidentCursor(value: string): IncidentCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [occurredAt, id] = parsed as unknown[];
    if (typeof occurredAt !== 'string' || typeof id !== 'string' || !TIMESTAMP_TEXT.test(occurredAt) || !ID.test(id)) return undefined;
    return { occurredAt, id };
  } catch {
    return undefined;
  }
}
