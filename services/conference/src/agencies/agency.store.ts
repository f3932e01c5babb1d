import type { EntityManager } from 'typeorm';

/** A member agency as the conference service knows it from referral's MOUs. */
export interface KnownAgency {
  agencyId: string;
  /** Some MOU of the agency is active and in force today: it may receive identity (filter 2). */
  mayReceiveIdentity: boolean;
  mous: Array<{ mouId: string; status: string; effectiveFrom: string; expiresOn: string; revision: number }>;
}

interface AgencyRow {
  agency_id: string;
  mou_id: string;
  mou_status: string;
  effective_from: string;
  expires_on: string;
  revision: number;
}

/** conference_agency: the projection of cit.referral.mou-changed.v1 (caller's transaction, tenant set). */
export const AgencyStore = {
  /** Applies an MOU change unless a later revision of that MOU is already known (events may arrive out of order). */
  async applyMouChange(
    em: EntityManager,
    departmentId: string,
    mou: {
      mouId: string;
      agencyId: string;
      status: string;
      effectiveFrom: string;
      expiresOn: string;
      revision: number;
    },
  ): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO conference_agency (department_id, agency_id, mou_id, mou_status, effective_from, expires_on, revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (department_id, agency_id, mou_id) DO UPDATE SET mou_status = EXCLUDED.mou_status,
         effective_from = EXCLUDED.effective_from, expires_on = EXCLUDED.expires_on,
         revision = EXCLUDED.revision, updated_at = now()
       WHERE conference_agency.revision < EXCLUDED.revision
       RETURNING agency_id`,
      [departmentId, mou.agencyId, mou.mouId, mou.status, mou.effectiveFrom, mou.expiresOn, mou.revision],
    );
    return rows.length > 0;
  },

  /** Every known agency with its MOUs; `today` is the department's local date (YYYY-MM-DD). */
  async list(em: EntityManager, departmentId: string, today: string): Promise<KnownAgency[]> {
    const rows = (await em.query(
      `SELECT agency_id, mou_id, mou_status, to_char(effective_from, 'YYYY-MM-DD') AS effective_from,
              to_char(expires_on, 'YYYY-MM-DD') AS expires_on, revision
         FROM conference_agency WHERE department_id = $1 ORDER BY agency_id, mou_id`,
      [departmentId],
    )) as AgencyRow[];
    const byAgency = new Map<string, KnownAgency>();
    for (const r of rows) {
      let a = byAgency.get(r.agency_id);
      if (!a) byAgency.set(r.agency_id, (a = { agencyId: r.agency_id, mayReceiveIdentity: false, mous: [] }));
      a.mous.push({
        mouId: r.mou_id,
        status: r.mou_status,
        effectiveFrom: r.effective_from,
        expiresOn: r.expires_on,
        revision: r.revision,
      });
      if (r.mou_status === 'active' && r.expires_on >= today) a.mayReceiveIdentity = true;
    }
    return [...byAgency.values()];
  },

  /** The ids among `agencyIds` the department knows (any MOU, whatever its status). */
  async known(em: EntityManager, departmentId: string, agencyIds: readonly string[]): Promise<Set<string>> {
    if (agencyIds.length === 0) return new Set();
    const rows = (await em.query(
      `SELECT DISTINCT agency_id FROM conference_agency WHERE department_id = $1 AND agency_id = ANY($2::text[])`,
      [departmentId, agencyIds],
    )) as { agency_id: string }[];
    return new Set(rows.map((r) => r.agency_id));
  },
};
