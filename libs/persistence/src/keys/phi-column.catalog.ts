/**
 * Where a column's values are bound (FieldCipher PhiBinding), so the key tool can rewrap a v2
 * token (its data key is bound to the department) and upgrade a v1 token to v2 at its place.
 */
export type PhiColumnBinding =
  /** Bound to this row: table, column, the row's department and its id (the key columns joined by ':'). */
  | { kind: 'row' }
  /**
   * Bound to another service's row, as carried in an event (intake's subject fields kept by
   * conference): rowIdColumn holds that row's id; a null there means a legacy unbound value.
   */
  | {
      kind: 'foreign';
      table: string;
      column: string;
      rowIdColumn: string;
      /** What a row with no id there holds: the service's own row-bound value, or a legacy unbound one. */
      whenNull: 'row' | 'legacy';
    }
  /**
   * The service still writes enc:v1 tokens with associated data of its own (a string naming
   * the row): the tool rewraps their data keys and never changes their version.
   */
  | { kind: 'legacy' };

/** One column that holds PHI tokens. */
export interface PhiColumnSpec {
  table: string;
  column: string;
  /** Columns that, with department_id, identify a row (keyset order of the batches). */
  keyColumns: readonly string[];
  binding: PhiColumnBinding;
  /** Associated data the column's enc:v1 tokens were written with ('' = none); needed to upgrade them. */
  legacyAad?: string | ((row: Readonly<Record<string, unknown>>, departmentId: string) => string);
  /**
   * Rows cannot be updated (audit_log is append-only, enforced by a trigger): status counts
   * them, rewrap leaves them, so their keys must stay in PHI_KEYS until the rows age out.
   */
  appendOnly?: boolean;
}

const AUDIT_REASON: PhiColumnSpec = {
  table: 'audit_log',
  column: 'reason_ciphertext',
  keyColumns: ['id'],
  binding: { kind: 'legacy' },
  appendOnly: true,
};

const row = { kind: 'row' } as const;

/**
 * Every PHI column of every service database the platform knows, by service (database
 * cit_<service>). A new encrypted column is added here in the change that adds it; status
 * reports a listed column its database does not have (a service not migrated to it yet).
 */
export const PLATFORM_PHI_COLUMNS: Readonly<Record<string, readonly PhiColumnSpec[]>> = {
  intake: [
    { table: 'incident', column: 'narrative', keyColumns: ['id'], binding: row, legacyAad: '' },
    { table: 'incident', column: 'location_address', keyColumns: ['id'], binding: row, legacyAad: '' },
    ...['name', 'date_of_birth', 'phone', 'address'].map(
      (column): PhiColumnSpec => ({
        table: 'incident_subject',
        column,
        keyColumns: ['id'],
        binding: row,
        legacyAad: '',
      }),
    ),
    { table: 'incident_supplement', column: 'narrative', keyColumns: ['id'], binding: row, legacyAad: '' },
    { table: 'incident_change', column: 'reason_note', keyColumns: ['id'], binding: row, legacyAad: '' },
    {
      table: 'review_item',
      column: 'decision_reason',
      keyColumns: ['id'],
      binding: row,
      legacyAad: 'review_item.decision_reason',
    },
    AUDIT_REASON,
  ],
  // The row-naming associated data each service wrote its v1 tokens with before issue 14.
  triage: [
    {
      table: 'triage_decision',
      column: 'reason_ciphertext',
      keyColumns: ['id'],
      binding: row,
      legacyAad: (r) => `triage_decision.reason:${String(r.id)}`,
    },
    {
      table: 'case_contact',
      column: 'notes_ciphertext',
      keyColumns: ['id'],
      binding: row,
      legacyAad: (r) => `case_contact.notes:${String(r.id)}`,
    },
    {
      table: 'diversion_plan',
      column: 'treatment_goals_ciphertext',
      keyColumns: ['case_id', 'version'],
      binding: row,
      legacyAad: (r) => `diversion_plan.treatment_goals:${String(r.case_id)}:${String(r.version)}`,
    },
    {
      table: 'diversion_plan',
      column: 'charge_recommendation_ciphertext',
      keyColumns: ['case_id', 'version'],
      binding: row,
      legacyAad: (r) => `diversion_plan.charge_recommendation:${String(r.case_id)}:${String(r.version)}`,
    },
    {
      table: 'crisis_plan',
      column: 'content_ciphertext',
      keyColumns: ['id'],
      binding: row,
      legacyAad: (r) => `crisis_plan.content:${String(r.id)}`,
    },
    AUDIT_REASON,
  ],
  referral: [
    {
      table: 'referral',
      column: 'packet_ciphertext',
      keyColumns: ['id'],
      binding: row,
      legacyAad: (r) => `referral.packet:${String(r.id)}`,
    },
    {
      table: 'webhook_endpoint',
      column: 'secret_ciphertext',
      keyColumns: ['agency_id'],
      binding: row,
      legacyAad: (r, d) => `webhook_endpoint.current:${d}:${String(r.agency_id)}`,
    },
    {
      table: 'webhook_endpoint',
      column: 'previous_secret_ciphertext',
      keyColumns: ['agency_id'],
      binding: row,
      legacyAad: (r, d) => `webhook_endpoint.previous:${d}:${String(r.agency_id)}`,
    },
    {
      table: 'partner_agency',
      column: 'delivery_key_ciphertext',
      keyColumns: ['id'],
      binding: row,
      legacyAad: (r, d) => `partner_agency.delivery_key:${d}:${String(r.id)}`,
    },
    AUDIT_REASON,
  ],
  conference: [
    ...(['name', 'birth_date'] as const).map(
      (field): PhiColumnSpec => ({
        table: 'conference_person',
        column: `${field}_ciphertext`,
        keyColumns: ['person_id'],
        binding: {
          kind: 'foreign',
          table: 'incident_subject',
          column: field === 'name' ? 'name' : 'date_of_birth',
          rowIdColumn: `${field}_subject_id`,
          whenNull: 'legacy',
        },
        legacyAad: '',
      }),
    ),
    // A nomination's name and birth date are its own (bound to the row) or intake's (bound to
    // the subject whose id is beside them), told apart row by row.
    ...(['name', 'birth_date'] as const).map(
      (field): PhiColumnSpec => ({
        table: 'nomination',
        column: `${field}_ciphertext`,
        keyColumns: ['id'],
        binding: {
          kind: 'foreign',
          table: 'incident_subject',
          column: field === 'name' ? 'name' : 'date_of_birth',
          rowIdColumn: `${field}_subject_id`,
          whenNull: 'row',
        },
        legacyAad: '',
      }),
    ),
    { table: 'nomination', column: 'reason_text_ciphertext', keyColumns: ['id'], binding: row, legacyAad: '' },
    { table: 'nomination', column: 'contact_ciphertext', keyColumns: ['id'], binding: row, legacyAad: '' },
    {
      table: 'action_item',
      column: 'description_ciphertext',
      keyColumns: ['id'],
      binding: row,
      legacyAad: (r) => `action_item.description:${String(r.id)}`,
    },
    AUDIT_REASON,
  ],
  followup: [
    {
      table: 'notification_endpoint',
      column: 'secret_ciphertext',
      keyColumns: ['id'],
      binding: row,
      legacyAad: (r) => `notification_endpoint.secret:${String(r.id)}`,
    },
    AUDIT_REASON,
  ],
};
