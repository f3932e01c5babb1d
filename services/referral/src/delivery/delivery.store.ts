import { newId } from '@cit/contracts';
import type { CloudEvent } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import type { Statement } from '../referrals/folded-statement';

export interface EndpointRow {
  agency_id: string;
  url: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_valid_until: Date | null;
  enabled: boolean;
  failing_since: Date | null;
  disabled_at: Date | null;
}

export const DeliveryStore = {
  async endpoint(
    em: EntityManager,
    departmentId: string,
    agencyId: string,
    lock = false,
  ): Promise<EndpointRow | undefined> {
    const rows = (await em.query(
      `SELECT agency_id, url, secret_ciphertext, previous_secret_ciphertext, previous_valid_until, enabled, failing_since, disabled_at
         FROM webhook_endpoint WHERE department_id = $1 AND agency_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [departmentId, agencyId],
    )) as EndpointRow[];
    return rows[0];
  },

  /**
   * A delivery of this partner event to the agency's webhook, when it has an enabled one; the
   * body holds ids, codes and agency-key ciphertext only. Returns the delivery id to enqueue
   * after commit.
   */
  async create(em: EntityManager, departmentId: string, agencyId: string, referralId: string, event: CloudEvent) {
    const st = DeliveryStore.createStatement(departmentId, agencyId, referralId, event);
    const rows = (await em.query(st.sql, st.params)) as { id: string }[];
    return rows[0]?.id;
  },

  /** The conditional INSERT of create, RETURNING id (none when the agency has no enabled endpoint). */
  createStatement(departmentId: string, agencyId: string, referralId: string, event: CloudEvent): Statement {
    return {
      sql: `INSERT INTO webhook_delivery (department_id, id, agency_id, referral_id, event_type, body)
            SELECT $1, $2, $3, $4, $5, $6 FROM webhook_endpoint
             WHERE department_id = $1 AND agency_id = $3 AND enabled
            RETURNING id`,
      params: [departmentId, newId('whd'), agencyId, referralId, event.type, JSON.stringify(event)],
    };
  },
};
