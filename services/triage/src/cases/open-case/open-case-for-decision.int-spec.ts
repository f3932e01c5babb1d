import { OutboxWriter } from '@cit/messaging';
import { createTestDatabase, runtimeRoleName, tenantTransaction, type TestDatabase } from '@cit/persistence';
import { triageService } from '../../triage.definition';
import { ProgramSettingsService } from '../../program/program-settings.service';
import { CaseSettingsReader } from '../case-settings';
import { OpenCaseForDecisionService } from './open-case-for-decision.service';

// openOrJoin on the real database, as the runtime role under row-level security.
describe('OpenCaseForDecisionService.openOrJoin', () => {
  let db: TestDatabase;
  let service: OpenCaseForDecisionService;
  let n = 0;
  const hex = () => (++n).toString(16).padStart(32, '0');
  const decision = (
    departmentId: string,
    personId: string,
    over: Partial<{ riskLevel: string; needs: string[] }> = {},
  ) => ({
    departmentId,
    personId,
    incidentId: `inc_${hex()}`,
    decisionId: `dec_${hex()}`,
    riskLevel: over.riskLevel ?? 'routine',
    needs: over.needs ?? ['mental-health'],
    pathway: 'clinician-outreach',
    source: 'triage' as const,
  });

  beforeAll(async () => {
    db = await createTestDatabase({
      entities: triageService.entities,
      migrations: triageService.migrations,
      prefix: 'triage_cases_open',
      runtimeRole: runtimeRoleName(triageService.name),
      appendOnlyTables: triageService.appendOnlyTables,
    });
    service = new OpenCaseForDecisionService(new OutboxWriter(), new CaseSettingsReader(new ProgramSettingsService()));
  });
  afterAll(() => db?.drop());

  const outboxOf = async (caseId: string) =>
    (
      await db.ownerDataSource.query(
        `SELECT event_type, payload->'data' AS data FROM outbox WHERE message_key = $1 ORDER BY seq`,
        [caseId],
      )
    ).map((r: { event_type: string; data: Record<string, unknown> }) => ({ type: r.event_type, data: r.data }));

  it('opens a case for a first decision and joins it with a repeat contact (one history, risk rises, needs union)', async () => {
    const first = decision('dept-a', 'per_00000000000000000000000000000a01');
    const opened = await tenantTransaction(db.dataSource, 'dept-a', (em) => service.openOrJoin(em, first));
    expect(opened.opened).toBe(true);
    const second = { ...decision('dept-a', first.personId, { riskLevel: 'urgent', needs: ['housing'] }) };
    const joined = await tenantTransaction(db.dataSource, 'dept-a', (em) => service.openOrJoin(em, second));
    expect(joined).toEqual({ caseId: opened.caseId, opened: false });

    const [row] = await db.ownerDataSource.query('SELECT risk_level, needs, status FROM care_case WHERE id = $1', [
      opened.caseId,
    ]);
    expect(row).toEqual({ risk_level: 'urgent', needs: ['housing', 'mental-health'], status: 'open' });
    const incidents = await db.ownerDataSource.query(
      'SELECT incident_id FROM case_incident WHERE case_id = $1 ORDER BY joined_at',
      [opened.caseId],
    );
    expect(incidents.map((r: { incident_id: string }) => r.incident_id).sort()).toEqual(
      [first.incidentId, second.incidentId].sort(),
    );
    const events = await outboxOf(opened.caseId);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['cit.case.opened.v1', 'cit.case.updated.v1']);
    expect(events[0].data).toMatchObject({
      caseId: opened.caseId,
      personId: first.personId,
      incidentIds: [first.incidentId],
      triageId: first.decisionId,
      source: 'triage',
      cadence: ['PT24H', 'PT72H', 'P7D', 'P7D'],
      timeZone: 'America/New_York',
      contactPreference: { doNotContact: false },
    });
    expect(events[1].data).toMatchObject({
      incidentJoined: second.incidentId,
      riskLevel: 'urgent',
      changedFields: ['incidents', 'riskLevel', 'needs'],
    });
  });

  it('the same decision twice changes nothing', async () => {
    const d = decision('dept-a', 'per_00000000000000000000000000000a02');
    const first = await tenantTransaction(db.dataSource, 'dept-a', (em) => service.openOrJoin(em, d));
    const again = await tenantTransaction(db.dataSource, 'dept-a', (em) => service.openOrJoin(em, d));
    expect(again).toEqual({ caseId: first.caseId, opened: false });
    expect(await outboxOf(first.caseId)).toHaveLength(1);
  });

  it('two decisions for one person at once end in one case', async () => {
    const personId = 'per_00000000000000000000000000000a03';
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        tenantTransaction(db.dataSource, 'dept-a', async (em) => {
          const r = await service.openOrJoin(em, decision('dept-a', personId));
          // Hold the transaction open so the others overlap with it.
          await em.query('SELECT pg_sleep(0.05)');
          return r;
        }),
      ),
    );
    expect(new Set(results.map((r) => r.caseId)).size).toBe(1);
    expect(results.filter((r) => r.opened)).toHaveLength(1);
    const [{ count }] = await db.ownerDataSource.query(
      'SELECT count(*)::int AS count FROM care_case WHERE person_id = $1',
      [personId],
    );
    expect(count).toBe(1);
  });

  it('a closed case is not joined: a new contact opens a new case', async () => {
    const d = decision('dept-a', 'per_00000000000000000000000000000a04');
    const first = await tenantTransaction(db.dataSource, 'dept-a', (em) => service.openOrJoin(em, d));
    await db.ownerDataSource.query(`UPDATE care_case SET status = 'closed-no-contact' WHERE id = $1`, [first.caseId]);
    const next = await tenantTransaction(db.dataSource, 'dept-a', (em) =>
      service.openOrJoin(em, decision('dept-a', d.personId)),
    );
    expect(next.opened).toBe(true);
    expect(next.caseId).not.toBe(first.caseId);
  });

  it('another department’s decision for the same person id never joins this department’s case', async () => {
    const personId = 'per_00000000000000000000000000000a05';
    const a = await tenantTransaction(db.dataSource, 'dept-a', (em) =>
      service.openOrJoin(em, decision('dept-a', personId)),
    );
    const b = await tenantTransaction(db.dataSource, 'dept-b', (em) =>
      service.openOrJoin(em, decision('dept-b', personId)),
    );
    expect(b.opened).toBe(true);
    expect(b.caseId).not.toBe(a.caseId);
    const rows = await db.ownerDataSource.query('SELECT department_id FROM care_case WHERE person_id = $1 ORDER BY 1', [
      personId,
    ]);
    expect(rows).toEqual([{ department_id: 'dept-a' }, { department_id: 'dept-b' }]);
  });

  it('refuses a risk level outside the contract (nothing stored)', async () => {
    const d = decision('dept-a', 'per_00000000000000000000000000000a06', { riskLevel: 'severe' });
    await expect(tenantTransaction(db.dataSource, 'dept-a', (em) => service.openOrJoin(em, d))).rejects.toThrow();
    const rows = await db.ownerDataSource.query('SELECT 1 FROM care_case WHERE person_id = $1', [d.personId]);
    expect(rows).toHaveLength(0);
  });

  it('carries the contact preference that applies (own, or of a person merged in) in the case events', async () => {
    const survivor = 'per_00000000000000000000000000000a07';
    const mergedIn = 'per_00000000000000000000000000000a08';
    await db.ownerDataSource.query(
      `INSERT INTO contact_preference (department_id, person_id, do_not_contact, allowed_channels, updated_by)
       VALUES ('dept-a', $1, false, '{phone,home-visit}', 'c-1'), ('dept-a', $2, false, '{phone}', 'c-1')`,
      [survivor, mergedIn],
    );
    await db.ownerDataSource.query(
      `INSERT INTO person_move (department_id, merge_id, record_type, record_id, from_person_id, to_person_id)
       VALUES ('dept-a', 'pmg_1', 'person', $2, $2, $1)`,
      [survivor, mergedIn],
    );
    const opened = await tenantTransaction(db.dataSource, 'dept-a', (em) =>
      service.openOrJoin(em, decision('dept-a', survivor)),
    );
    const joined = await tenantTransaction(db.dataSource, 'dept-a', (em) =>
      service.openOrJoin(em, decision('dept-a', survivor)),
    );
    expect(joined.caseId).toBe(opened.caseId);
    const events = await outboxOf(opened.caseId);
    for (const e of events)
      expect(e.data.contactPreference).toEqual({ doNotContact: false, allowedChannels: ['phone'] });
    expect(events).toHaveLength(2);
  });

  it('takes the decision’s assignee: a new case gets it, a joined case without one takes it, one with one keeps it', async () => {
    const personId = 'per_00000000000000000000000000000a09';
    const first = await tenantTransaction(db.dataSource, 'dept-a', (em) =>
      service.openOrJoin(em, decision('dept-a', personId)),
    );
    await tenantTransaction(db.dataSource, 'dept-a', (em) =>
      service.openOrJoin(em, { ...decision('dept-a', personId), assignedTo: 'stf_clinician1' }),
    );
    await tenantTransaction(db.dataSource, 'dept-a', (em) =>
      service.openOrJoin(em, { ...decision('dept-a', personId), assignedTo: 'stf_clinician2' }),
    );
    const [row] = await db.ownerDataSource.query('SELECT assigned_to FROM care_case WHERE id = $1', [first.caseId]);
    expect(row.assigned_to).toBe('stf_clinician1');
    const events = await outboxOf(first.caseId);
    expect(events.map((e: { data: { changedFields?: string[] } }) => e.data.changedFields)).toEqual([
      undefined,
      ['incidents', 'assignedTo'],
      ['incidents'],
    ]);
  });
});
