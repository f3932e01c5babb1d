import type { CorrectIncidentRequest } from './correct-incident.request';

type Changes = CorrectIncidentRequest['changes'];

/** Encryption and indexing the correction needs; plain functions keep this file framework-free. */
export interface CorrectionPhi {
  encrypt(plain: string): string;
}

const PHI_FIELDS = new Set(['locationAddress', 'narrative']);
const COLUMN: Record<string, string> = {
  rmsIncidentNumber: 'rmsIncidentNumber',
  occurredAt: 'occurredAt',
  receivedAt: 'receivedAt',
  callType: 'callType',
  disposition: 'disposition',
  encounter: 'encounter',
  district: 'district',
  locationAddress: 'locationAddress',
  latitude: 'latitude',
  longitude: 'longitude',
  narrative: 'narrative',
  reportingOfficerId: 'reportingOfficerId',
};

/**
 * The column updates of a correction (PHI encrypted) and the names of the fields it
 * changes — names only, since the event and the history must not carry the values.
 */
export function incidentColumnUpdates(
  changes: Changes,
  phi: CorrectionPhi,
): { updates: Record<string, unknown>; fields: string[] } {
  const updates: Record<string, unknown> = {};
  const fields: string[] = [];
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'subjects' || value === undefined) continue;
    const column = COLUMN[field];
    if (!column) continue;
    if (field === 'occurredAt' || field === 'receivedAt') updates[column] = new Date(value as string);
    else updates[column] = PHI_FIELDS.has(field) ? phi.encrypt(value as string) : value;
    fields.push(field);
  }
  return { updates, fields };
}
