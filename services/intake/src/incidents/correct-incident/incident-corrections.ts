import type { CorrectIncidentRequest } from './correct-incident.request';
import { intakePlaces, type IntakePhiPlace } from '../phi-places';

type Changes = CorrectIncidentRequest['changes'];

/** Encryption and indexing the correction needs; plain functions keep this file framework-free. */
export interface CorrectionPhi {
  /** Encrypts plain bound to its place in the corrected incident's row. */
  encrypt(plain: string, place: IntakePhiPlace): string;
}

const PHI_COLUMNS: Record<string, 'location_address' | 'narrative'> = {
  locationAddress: 'location_address',
  narrative: 'narrative',
};
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
  incidentId: string,
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
    else {
      const phiColumn = PHI_COLUMNS[field];
      updates[column] = phiColumn ? phi.encrypt(value as string, intakePlaces.incident(incidentId, phiColumn)) : value;
    }
    fields.push(field);
  }
  return { updates, fields };
}
