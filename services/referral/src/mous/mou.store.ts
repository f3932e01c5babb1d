import type { EntityManager } from 'typeorm';
import type { Mou } from './mou.model';

interface MouRow {
  id: string;
  agency_id: string;
  template: Mou['template'];
  service_ids: string[];
  effective_from: string;
  expires_on: string;
  status: Mou['status'];
  terms: Mou['terms'];
  document_ref: string;
  revision: number;
}

// Dates leave PostgreSQL as text (YYYY-MM-DD), never through a JS Date and its time zone.
const COLUMNS = `id, agency_id, template, service_ids, effective_from::text AS effective_from,
  expires_on::text AS expires_on, status, terms, document_ref, revision`;

const toMou = (r: MouRow): Mou => ({
  id: r.id,
  agencyId: r.agency_id,
  template: r.template,
  serviceIds: r.service_ids,
  effectiveFrom: r.effective_from,
  expiresOn: r.expires_on,
  status: r.status,
  terms: r.terms,
  documentRef: r.document_ref,
  revision: r.revision,
});

// Routing reads every active MOU of the department per referral; they change rarely. Kept for a
// few seconds per department; a change made through this process is seen at once, by other
// replicas within MOU_CACHE_MS (dates are still checked against today on every referral).
const MOU_CACHE_MS = 5_000;
const activeCache = new Map<string, { at: number; mous: Map<string, Mou[]> }>();

export const MouStore = {
  /** The department's active MOUs by agency, cached briefly (see MOU_CACHE_MS). */
  async activeByAgency(em: EntityManager, departmentId: string): Promise<Map<string, Mou[]>> {
    const hit = activeCache.get(departmentId);
    if (hit && Date.now() - hit.at < MOU_CACHE_MS) return hit.mous;
    const mous = await MouStore.byAgency(em, departmentId);
    activeCache.set(departmentId, { at: Date.now(), mous });
    return mous;
  },

  /** Active MOUs by agency (of the given agencies); routing checks their dates against today. */
  async byAgency(em: EntityManager, departmentId: string, agencyIds?: readonly string[]): Promise<Map<string, Mou[]>> {
    const rows = (await em.query(
      `SELECT ${COLUMNS} FROM mou WHERE department_id = $1 AND status = 'active' AND ($2::text[] IS NULL OR agency_id = ANY($2::text[]))`,
      [departmentId, agencyIds ?? null],
    )) as MouRow[];
    const map = new Map<string, Mou[]>();
    for (const r of rows) {
      const list = map.get(r.agency_id) ?? [];
      list.push(toMou(r));
      map.set(r.agency_id, list);
    }
    return map;
  },

  async get(em: EntityManager, departmentId: string, id: string): Promise<Mou | undefined> {
    const rows = (await em.query(`SELECT ${COLUMNS} FROM mou WHERE department_id = $1 AND id = $2`, [
      departmentId,
      id,
    ])) as MouRow[];
    return rows[0] ? toMou(rows[0]) : undefined;
  },

  async list(em: EntityManager, departmentId: string, expiringBy?: string, today?: string): Promise<Mou[]> {
    const rows = (await em.query(
      `SELECT ${COLUMNS} FROM mou WHERE department_id = $1
          AND ($2::date IS NULL OR (expires_on <= $2::date AND expires_on >= $3::date AND status = 'active'))
        ORDER BY expires_on, id`,
      [departmentId, expiringBy ?? null, today ?? null],
    )) as MouRow[];
    return rows.map(toMou);
  },

  /** Inserts or replaces an MOU; the revision goes up by one on every change. */
  async upsert(em: EntityManager, departmentId: string, m: Omit<Mou, 'revision'>): Promise<Mou> {
    activeCache.delete(departmentId);
    const rows = (await em.query(
      `INSERT INTO mou (department_id, id, agency_id, template, service_ids, effective_from, expires_on, status, terms, document_ref)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10)
       ON CONFLICT (department_id, id) DO UPDATE SET agency_id = EXCLUDED.agency_id, template = EXCLUDED.template,
         service_ids = EXCLUDED.service_ids, effective_from = EXCLUDED.effective_from, expires_on = EXCLUDED.expires_on,
         status = EXCLUDED.status, terms = EXCLUDED.terms, document_ref = EXCLUDED.document_ref,
         revision = mou.revision + 1, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        departmentId,
        m.id,
        m.agencyId,
        m.template,
        m.serviceIds,
        m.effectiveFrom,
        m.expiresOn,
        m.status,
        JSON.stringify(m.terms),
        m.documentRef,
      ],
    )) as MouRow[];
    return toMou(rows[0]!);
  },
};
