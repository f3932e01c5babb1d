// HSDS 3.1 ↔ the directory model routing uses. Plain TypeScript. CIT facts that HSDS has no
// column for (needs, program kind, after-hours, police drop-off, imminent-threat responder)
// travel as HSDS attributes of the CIT taxonomy; the agency's slug (its topic and token id) as
// an organization identifier of scheme cit-agency-id.
import { createHash } from 'node:crypto';
import {
  ALL_AREAS,
  SERVICE_KINDS,
  WEEKDAYS,
  type DirectoryService,
  type OpeningHours,
  type ServiceKind,
  type Weekday,
} from './directory.model';
import type { PointerError } from './hsds-validator';

export const AGENCY_ID_SCHEME = 'cit-agency-id';
export const CIT_TAXONOMY = 'cit-referral';
const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$|^24:00(:00)?$/;

/** A stable UUID from a name (so exports are repeatable and re-imports update in place). */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface HsdsOrganization {
  agencyId: string;
  hsdsId: string;
  name: string;
  document: Json;
}

/** The agency slug of an organization, from its cit-agency-id identifier. */
export function organizationFromHsds(org: Json, pointer: string, errors: PointerError[]): HsdsOrganization | null {
  const ids = arr(org.organization_identifiers).filter((i) => i.identifier_scheme === AGENCY_ID_SCHEME);
  const agencyId = str(ids[0]?.identifier);
  if (!agencyId || !AGENCY_ID.test(agencyId)) {
    errors.push({
      pointer: `${pointer}/organization_identifiers`,
      detail: `needs an identifier of scheme ${AGENCY_ID_SCHEME}: lowercase letters, digits and dashes`,
    });
    return null;
  }
  return { agencyId, hsdsId: String(org.id), name: String(org.name), document: org };
}

function attributeCodes(service: Json): string[] {
  return arr(service.attributes).flatMap((a) => {
    const term = a.taxonomy_term as Json | undefined;
    const code = str(term?.code) ?? str(a.value);
    return code ? [code] : [];
  });
}

/** A directory service from an HSDS service; problems are added to `errors` under `pointer`. */
export function serviceFromHsds(
  service: Json,
  agencyId: string,
  pointer: string,
  errors: PointerError[],
): DirectoryService | null {
  const before = errors.length;
  const codes = attributeCodes(service);
  const kindCode = codes.find((c) => c.startsWith('kind:'))?.slice(5) ?? 'other';
  if (!(SERVICE_KINDS as readonly string[]).includes(kindCode))
    errors.push({ pointer: `${pointer}/attributes`, detail: `unknown program kind ${kindCode.slice(0, 40)}` });
  const hours: OpeningHours[] = [];
  arr(service.schedules).forEach((s, i) => {
    const opens = str(s.opens_at);
    const closes = str(s.closes_at);
    if (opens === undefined && closes === undefined) return;
    if (!opens || !HHMM.test(opens))
      errors.push({ pointer: `${pointer}/schedules/${i}/opens_at`, detail: 'must be HH:MM' });
    if (!closes || !HHMM.test(closes))
      errors.push({ pointer: `${pointer}/schedules/${i}/closes_at`, detail: 'must be HH:MM' });
    const days = (str(s.byday) ?? WEEKDAYS.join(',')).split(',').map((d) => d.trim().toUpperCase());
    if (days.some((d) => !(WEEKDAYS as readonly string[]).includes(d)))
      errors.push({ pointer: `${pointer}/schedules/${i}/byday`, detail: 'must list days as MO,TU,WE,TH,FR,SA,SU' });
    if (opens && closes) hours.push({ days: days as Weekday[], opens: opens.slice(0, 5), closes: closes.slice(0, 5) });
  });
  const caps = arr(service.capacities);
  caps.forEach((c, i) => {
    const available = num(c.available);
    if (available !== null && (available < 0 || !Number.isInteger(available)))
      errors.push({ pointer: `${pointer}/capacities/${i}/available`, detail: 'must be a whole number, zero or more' });
    const maximum = num(c.maximum);
    if (maximum !== null && (maximum < 0 || !Number.isInteger(maximum)))
      errors.push({ pointer: `${pointer}/capacities/${i}/maximum`, detail: 'must be a whole number, zero or more' });
  });
  const minAge = num(service.minimum_age);
  const maxAge = num(service.maximum_age);
  if (minAge !== null && maxAge !== null && minAge > maxAge)
    errors.push({ pointer: `${pointer}/maximum_age`, detail: 'must not be below minimum_age' });
  if (errors.length > before) return null;
  const cap = caps[0];
  return {
    id: String(service.id),
    agencyId,
    name: String(service.name),
    active: service.status === 'active',
    kind: kindCode as ServiceKind,
    needs: codes.filter((c) => c.startsWith('need:')).map((c) => c.slice(5)),
    areas: arr(service.service_areas).flatMap((a) => (str(a.name) ? [str(a.name)!] : [])),
    languages: arr(service.languages).flatMap((l) => (str(l.code) ? [str(l.code)!.toLowerCase()] : [])),
    minAge,
    maxAge,
    afterHours: codes.includes('after-hours'),
    policeDropOff: codes.includes('police-drop-off'),
    lessensImminentThreat: codes.includes('lessens-imminent-threat'),
    hours,
    capacity: cap
      ? {
          available: num(cap.available) ?? 0,
          maximum: num(cap.maximum),
          updatedAt: str(cap.updated) ?? new Date().toISOString(),
        }
      : null,
  };
}

/** The service's HSDS document with its live capacity written back (for export). */
export function withLiveCapacity(document: Json, service: Pick<DirectoryService, 'id' | 'capacity'>): Json {
  if (!service.capacity) return document;
  const caps = arr(document.capacities);
  const first: Json = caps[0] ?? {
    id: stableUuid(service.id, 'capacity'),
    unit: { id: stableUuid('unit', 'referral-slot'), name: 'referral slots' },
  };
  const updated: Json = {
    ...first,
    available: service.capacity.available,
    updated: new Date(service.capacity.updatedAt).toISOString(),
  };
  if (service.capacity.maximum !== null) updated.maximum = service.capacity.maximum;
  return { ...document, capacities: [updated, ...caps.slice(1)] };
}

/** Builds an HSDS 3.1 attribute of the CIT taxonomy (used by the seed and tests). */
export function citAttribute(serviceId: string, code: string): Json {
  const termId = stableUuid(CIT_TAXONOMY, code);
  return {
    id: stableUuid(serviceId, 'attribute', code),
    link_id: serviceId,
    link_type: 'service',
    link_entity: 'service',
    taxonomy_term_id: termId,
    taxonomy_term: {
      id: termId,
      code,
      name: code,
      description: `CIT referral taxonomy: ${code}`,
      taxonomy: CIT_TAXONOMY,
    },
    value: code,
  };
}

export interface ServiceSpec {
  agencyId: string;
  key: string;
  name: string;
  kind: ServiceKind;
  needs: string[];
  areas?: string[];
  languages?: string[];
  minAge?: number;
  maxAge?: number;
  afterHours?: boolean;
  policeDropOff?: boolean;
  lessensImminentThreat?: boolean;
  hours?: OpeningHours[];
  available: number;
  maximum: number;
  phone?: string;
}

/** An HSDS organization record for an agency (used by the seed and tests). */
export function hsdsOrganization(agencyId: string, name: string, description = name): Json {
  const id = stableUuid('organization', agencyId);
  return {
    id,
    name,
    description,
    organization_identifiers: [
      {
        id: stableUuid(id, AGENCY_ID_SCHEME),
        organization_id: id,
        identifier_scheme: AGENCY_ID_SCHEME,
        identifier_type: 'partner-agency',
        identifier: agencyId,
      },
    ],
  };
}

/** An HSDS service record from a compact spec (used by the seed and tests). */
export function hsdsService(spec: ServiceSpec): Json {
  const id = stableUuid('service', spec.agencyId, spec.key);
  const codes = [
    `kind:${spec.kind}`,
    ...spec.needs.map((n) => `need:${n}`),
    ...(spec.afterHours ? ['after-hours'] : []),
    ...(spec.policeDropOff ? ['police-drop-off'] : []),
    ...(spec.lessensImminentThreat ? ['lessens-imminent-threat'] : []),
  ];
  const doc: Json = {
    id,
    organization_id: stableUuid('organization', spec.agencyId),
    name: spec.name,
    status: 'active',
    attributes: codes.map((c) => citAttribute(id, c)),
    service_areas: (spec.areas ?? [ALL_AREAS]).map((a) => ({ id: stableUuid(id, 'area', a), service_id: id, name: a })),
    languages: (spec.languages ?? ['en']).map((l) => ({ id: stableUuid(id, 'language', l), service_id: id, code: l })),
    schedules: (spec.hours ?? []).map((h, i) => ({
      id: stableUuid(id, 'schedule', String(i)),
      service_id: id,
      freq: 'WEEKLY',
      byday: h.days.join(','),
      opens_at: h.opens,
      closes_at: h.closes,
    })),
    capacities: [
      {
        id: stableUuid(id, 'capacity'),
        service_id: id,
        unit: { id: stableUuid('unit', 'referral-slot'), name: 'referral slots' },
        available: spec.available,
        maximum: spec.maximum,
        updated: new Date().toISOString(),
      },
    ],
    contacts: spec.phone
      ? [
          {
            id: stableUuid(id, 'contact'),
            service_id: id,
            name: 'Intake desk',
            phones: [{ id: stableUuid(id, 'phone'), number: spec.phone }],
          },
        ]
      : [],
  };
  if (spec.minAge !== undefined) doc.minimum_age = spec.minAge;
  if (spec.maxAge !== undefined) doc.maximum_age = spec.maxAge;
  return doc;
}
