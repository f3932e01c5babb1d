import type { EntityManager } from 'typeorm';
import type { ConsentRecord } from './minimum-necessary';

export const ConsentStore = {
  /** The person's consents, newest first. */
  async forPerson(em: EntityManager, departmentId: string, personId: string): Promise<ConsentRecord[]> {
    const rows = (await em.query(
      `SELECT id, categories, agency_ids, expires_at, revoked_at FROM consent
        WHERE department_id = $1 AND person_id = $2 ORDER BY recorded_at DESC, id`,
      [departmentId, personId],
    )) as {
      id: string;
      categories: ConsentRecord['categories'];
      agency_ids: string[];
      expires_at: Date | null;
      revoked_at: Date | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      categories: r.categories,
      agencyIds: r.agency_ids,
      expiresAt: r.expires_at?.toISOString() ?? null,
      revokedAt: r.revoked_at?.toISOString() ?? null,
    }));
  },
};
