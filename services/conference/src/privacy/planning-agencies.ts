import type { AuditContext, AuditTrail } from '@cit/audit';
import { RequestValidationError, type FieldError } from '@cit/service-kit';
import type { EntityManager } from 'typeorm';
import { identityDisclosed } from './privacy-audit';

/** The department and the audit a privacy step records under (the caller's transaction and request). */
export interface PrivacyContext {
  departmentId: string;
  trail: AuditTrail;
  /** The request's audit context (currentAuditContext() under @AuditInService). */
  audit: AuditContext;
}

/**
 * Filters 3 and 4: the lead and assisting agencies the table chose (from those it selected at
 * filter 2) get what planning needs — the reason text and call-back contact besides limited
 * identity. Records each disclosure and step, audits each disclosure, and sets the privacy stage
 * to planning, in the caller's transaction. Idempotent: a disclosure already made is not repeated.
 * Throws 400 naming leadAgencyId / assistingAgencyIds[i] for an agency the table did not select.
 */
export async function recordPlanningAgencies(
  em: EntityManager,
  ctx: PrivacyContext,
  nominationId: string,
  sessionId: string,
  leadAgencyId: string,
  assistingAgencyIds: readonly string[],
  by: string,
): Promise<void> {
  const dept = ctx.departmentId;
  const [n]: Array<{ person_id: string | null; privacy_stage: string }> = await em.query(
    `SELECT person_id, privacy_stage FROM nomination WHERE department_id = $1 AND id = $2 FOR UPDATE`,
    [dept, nominationId],
  );
  if (!n) throw new Error(`recordPlanningAgencies: nomination ${nominationId} not found`);
  const selected = new Set(
    (
      (await em.query(
        `SELECT agency_id FROM identity_disclosure WHERE department_id = $1 AND nomination_id = $2 AND role = 'selected'`,
        [dept, nominationId],
      )) as Array<{ agency_id: string }>
    ).map((r) => r.agency_id),
  );
  const errors: FieldError[] = [];
  if (!selected.has(leadAgencyId)) {
    errors.push({ field: 'leadAgencyId', detail: 'must be one of the agencies the table selected' });
  }
  assistingAgencyIds.forEach((a, i) => {
    if (!selected.has(a))
      errors.push({ field: `assistingAgencyIds[${i}]`, detail: 'must be one of the agencies the table selected' });
  });
  if (errors.length > 0) throw new RequestValidationError(errors);

  const grants: Array<{ agencyId: string; role: 'lead' | 'assisting' }> = [
    { agencyId: leadAgencyId, role: 'lead' },
    ...[...new Set(assistingAgencyIds)]
      .filter((a) => a !== leadAgencyId)
      .map((a) => ({ agencyId: a, role: 'assisting' as const })),
  ];
  const made: Array<{ agency_id: string; role: 'lead' | 'assisting' }> = await em.query(
    `INSERT INTO identity_disclosure (department_id, nomination_id, agency_id, session_id, role, fields, disclosed_by)
     SELECT $1, $2, g.agency_id, $3, g.role,
            CASE WHEN g.role = 'selected' THEN ARRAY['name','birthDate'] ELSE ARRAY['name','birthDate','reasonText','contact'] END,
            $6
       FROM unnest($4::text[], $5::text[]) AS g(agency_id, role)
     ON CONFLICT (department_id, nomination_id, agency_id, role) DO NOTHING
     RETURNING agency_id, role`,
    [dept, nominationId, sessionId, grants.map((g) => g.agencyId), grants.map((g) => g.role), by],
  );
  const newLead = made.filter((m) => m.role === 'lead').map((m) => m.agency_id);
  const newAssisting = made.filter((m) => m.role === 'assisting').map((m) => m.agency_id);
  if (newLead.length > 0) {
    await em.query(
      `INSERT INTO privacy_step (department_id, nomination_id, filter, action, session_id, agency_ids, recorded_by)
       VALUES ($1, $2, 3, 'lead-assigned', $3, $4::text[], $5)`,
      [dept, nominationId, sessionId, newLead, by],
    );
  }
  if (newAssisting.length > 0) {
    await em.query(
      `INSERT INTO privacy_step (department_id, nomination_id, filter, action, session_id, agency_ids, recorded_by)
       VALUES ($1, $2, 4, 'assisting-assigned', $3, $4::text[], $5)`,
      [dept, nominationId, sessionId, newAssisting, by],
    );
  }
  await em.query(
    `UPDATE nomination SET privacy_stage = 'planning', updated_at = now(),
            version = version + CASE WHEN privacy_stage = 'planning' THEN 0 ELSE 1 END
      WHERE department_id = $1 AND id = $2`,
    [dept, nominationId],
  );
  if (made.length > 0) {
    await ctx.trail.append(
      em,
      ctx.audit,
      made.map((m) => identityDisclosed(nominationId, m.agency_id, m.role, n.person_id)),
    );
  }
}
