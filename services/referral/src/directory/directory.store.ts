import type { EntityManager } from 'typeorm';
import type { DirectoryService } from './directory.model';
import type { HsdsOrganization } from './hsds-mapping';

interface ServiceRow {
  id: string;
  agency_id: string;
  name: string;
  active: boolean;
  kind: DirectoryService['kind'];
  needs: string[];
  areas: string[];
  languages: string[];
  min_age: number | null;
  max_age: number | null;
  after_hours: boolean;
  police_drop_off: boolean;
  lessens_imminent_threat: boolean;
  hours: DirectoryService['hours'];
  capacity_available: number | null;
  capacity_maximum: number | null;
  capacity_updated_at: Date | null;
}

const SERVICE_COLUMNS = `id, agency_id, name, active, kind, needs, areas, languages, min_age, max_age, after_hours,
  police_drop_off, lessens_imminent_threat, hours, capacity_available, capacity_maximum, capacity_updated_at`;

function toService(r: ServiceRow): DirectoryService {
  return {
    id: r.id,
    agencyId: r.agency_id,
    name: r.name,
    active: r.active,
    kind: r.kind,
    needs: r.needs,
    areas: r.areas,
    languages: r.languages,
    minAge: r.min_age,
    maxAge: r.max_age,
    afterHours: r.after_hours,
    policeDropOff: r.police_drop_off,
    lessensImminentThreat: r.lessens_imminent_threat,
    hours: r.hours,
    capacity:
      r.capacity_available === null
        ? null
        : {
            available: r.capacity_available,
            maximum: r.capacity_maximum,
            updatedAt: (r.capacity_updated_at ?? new Date(0)).toISOString(),
          },
  };
}

/** Directory reads and writes; every call runs in the caller's tenant transaction and filters by department. */
export const DirectoryStore = {
  /**
   * The services of active agencies, narrowed in SQL to those serving one of `needs` (and of
   * one of `kinds`) when given: the rest could only be excluded for that reason.
   */
  async services(
    em: EntityManager,
    departmentId: string,
    filter: { needs?: readonly string[]; kinds?: readonly string[] } = {},
  ): Promise<DirectoryService[]> {
    const rows = (await em.query(
      `SELECT ${SERVICE_COLUMNS} FROM directory_service s
        WHERE s.department_id = $1
          AND (cardinality($2::text[]) = 0 OR s.needs && $2::text[])
          AND (cardinality($3::text[]) = 0 OR s.kind = ANY($3::text[]))
          AND EXISTS (SELECT 1 FROM partner_agency a WHERE a.department_id = s.department_id AND a.id = s.agency_id AND a.active)`,
      [departmentId, filter.needs ?? [], filter.kinds ?? []],
    )) as ServiceRow[];
    return rows.map(toService);
  },

  async service(em: EntityManager, departmentId: string, serviceId: string): Promise<DirectoryService | undefined> {
    const rows = (await em.query(
      `SELECT ${SERVICE_COLUMNS} FROM directory_service WHERE department_id = $1 AND id = $2`,
      [departmentId, serviceId],
    )) as ServiceRow[];
    return rows[0] ? toService(rows[0]) : undefined;
  },

  async agencyIds(em: EntityManager, departmentId: string): Promise<Set<string>> {
    const rows = (await em.query('SELECT id FROM partner_agency WHERE department_id = $1', [departmentId])) as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  },

  async saveOrganizations(em: EntityManager, departmentId: string, orgs: HsdsOrganization[]): Promise<void> {
    if (orgs.length === 0) return;
    await em.query(
      `INSERT INTO partner_agency (department_id, id, name, hsds, hsds_id, active, updated_at)
       SELECT $1, o.id, o.name, o.hsds, o.hsds_id, true, now()
         FROM jsonb_to_recordset($2::jsonb) AS o(id text, name text, hsds jsonb, hsds_id uuid)
       ON CONFLICT (department_id, id) DO UPDATE
         SET name = EXCLUDED.name, hsds = EXCLUDED.hsds, hsds_id = EXCLUDED.hsds_id, updated_at = now()`,
      [
        departmentId,
        JSON.stringify(orgs.map((o) => ({ id: o.agencyId, name: o.name, hsds: o.document, hsds_id: o.hsdsId }))),
      ],
    );
  },

  async saveServices(
    em: EntityManager,
    departmentId: string,
    services: { service: DirectoryService; document: Record<string, unknown> }[],
  ): Promise<void> {
    if (services.length === 0) return;
    const rows = services.map(({ service: s, document }) => ({
      id: s.id,
      agency_id: s.agencyId,
      name: s.name,
      active: s.active,
      kind: s.kind,
      needs: s.needs,
      areas: s.areas,
      languages: s.languages,
      min_age: s.minAge,
      max_age: s.maxAge,
      after_hours: s.afterHours,
      police_drop_off: s.policeDropOff,
      lessens_imminent_threat: s.lessensImminentThreat,
      hours: s.hours,
      capacity_available: s.capacity?.available ?? null,
      capacity_maximum: s.capacity?.maximum ?? null,
      capacity_updated_at: s.capacity?.updatedAt ?? null,
      hsds: document,
    }));
    await em.query(
      `INSERT INTO directory_service (department_id, ${SERVICE_COLUMNS}, hsds, updated_at)
       SELECT $1, r.id, r.agency_id, r.name, r.active, r.kind, r.needs, r.areas, r.languages, r.min_age, r.max_age,
              r.after_hours, r.police_drop_off, r.lessens_imminent_threat, r.hours, r.capacity_available,
              r.capacity_maximum, r.capacity_updated_at, r.hsds, now()
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, agency_id text, name text, active boolean, kind text,
              needs text[], areas text[], languages text[], min_age integer, max_age integer, after_hours boolean,
              police_drop_off boolean, lessens_imminent_threat boolean, hours jsonb, capacity_available integer,
              capacity_maximum integer, capacity_updated_at timestamptz, hsds jsonb)
       ON CONFLICT (department_id, id) DO UPDATE SET
         agency_id = EXCLUDED.agency_id, name = EXCLUDED.name, active = EXCLUDED.active, kind = EXCLUDED.kind,
         needs = EXCLUDED.needs, areas = EXCLUDED.areas, languages = EXCLUDED.languages, min_age = EXCLUDED.min_age,
         max_age = EXCLUDED.max_age, after_hours = EXCLUDED.after_hours, police_drop_off = EXCLUDED.police_drop_off,
         lessens_imminent_threat = EXCLUDED.lessens_imminent_threat, hours = EXCLUDED.hours,
         capacity_available = EXCLUDED.capacity_available, capacity_maximum = EXCLUDED.capacity_maximum,
         capacity_updated_at = EXCLUDED.capacity_updated_at, hsds = EXCLUDED.hsds, updated_at = now()`,
      [departmentId, JSON.stringify(rows)],
    );
  },

  /** Organizations and services as stored, for export. */
  async documents(em: EntityManager, departmentId: string) {
    const orgs = (await em.query(
      'SELECT id, hsds FROM partner_agency WHERE department_id = $1 AND hsds_id IS NOT NULL ORDER BY id',
      [departmentId],
    )) as { id: string; hsds: Record<string, unknown> }[];
    const services = (await em.query(
      `SELECT ${SERVICE_COLUMNS}, hsds FROM directory_service WHERE department_id = $1 ORDER BY agency_id, name, id`,
      [departmentId],
    )) as (ServiceRow & { hsds: Record<string, unknown> })[];
    return { orgs, services: services.map((r) => ({ service: toService(r), document: r.hsds })) };
  },

  /** Sets live capacity; false when the agency has no such service. */
  async updateCapacity(
    em: EntityManager,
    departmentId: string,
    agencyId: string,
    serviceId: string,
    available: number,
    maximum: number | undefined,
  ): Promise<{ available: number; maximum: number | null; updatedAt: string } | undefined> {
    const rows = (await em.query(
      `UPDATE directory_service
          SET capacity_available = $4, capacity_maximum = COALESCE($5, capacity_maximum),
              capacity_updated_at = now(), updated_at = now()
        WHERE department_id = $1 AND agency_id = $2 AND id = $3
        RETURNING capacity_available, capacity_maximum, capacity_updated_at`,
      [departmentId, agencyId, serviceId, available, maximum ?? null],
    )) as [{ capacity_available: number; capacity_maximum: number | null; capacity_updated_at: Date }[], number];
    const r = rows[0]?.[0];
    return r
      ? { available: r.capacity_available, maximum: r.capacity_maximum, updatedAt: r.capacity_updated_at.toISOString() }
      : undefined;
  },
};
