import { runAuditCli, verifyAuditChain } from '@cit/audit';
import { issueDevToken, type Role } from '@cit/auth';
import { createIncidentExample } from '@cit/contracts';
import { Client } from 'pg';
import request from 'supertest';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';

interface AuditRowSeen {
  id: string;
  seq: string;
  department_id: string;
  actor_subject: string;
  actor_kind: string;
  actor_roles: string[];
  purpose: string;
  action: string;
  record_type: string;
  record_id: string;
  person_ids: string[];
  fields: string[];
  outcome: string;
  request_id: string | null;
  correlation_id: string | null;
  client_address: string | null;
  reason_ciphertext: string | null;
}

describe('PHI access audit through intake (real PostgreSQL)', () => {
  let t: IntakeTestApp;
  let officer: string;
  let clinician: string;
  let auditor: string;
  let n = 0;
  const cad = () => `CAD-AUD-${Date.now()}-${++n}`;
  const http = () => request(t.url);
  const token = (roles: Role[], extra: { department?: string; districts?: string[]; subject?: string } = {}) =>
    issueDevToken({
      roles,
      department: extra.department ?? 'dept-a',
      districts: extra.districts,
      subject: extra.subject,
    });
  const entries = (where: string, params: unknown[]) =>
    t.db.ownerDataSource.query(`SELECT * FROM audit_log WHERE ${where} ORDER BY department_id, seq`, params) as Promise<
      AuditRowSeen[]
    >;
  // A person of its own per incident, so person filters see only this test's entries.
  const uniqueSubject = () => ({
    ...createIncidentExample.subjects[0],
    name: `Jordan ${String.fromCharCode(...Array.from({ length: 8 }, () => 97 + Math.floor(Math.random() * 26)))}`,
    phone: undefined,
  });
  const cadOf = async (id: string) =>
    (
      (await t.db.ownerDataSource.query(`SELECT cad_call_number FROM incident WHERE id = $1`, [id])) as {
        cad_call_number: string;
      }[]
    )[0]!.cad_call_number;
  const report = async (overrides: Record<string, unknown> = {}) => {
    const res = await http()
      .post('/v1/incidents')
      .set('authorization', `Bearer ${officer}`)
      .send({
        ...createIncidentExample,
        externalIds: { cadCallNumber: cad() },
        subjects: [uniqueSubject()],
        ...overrides,
      });
    expect(res.status).toBe(201);
    return res.body as {
      id: string;
      narrative: string;
      subjects: { personId: string; name: string; dateOfBirth?: string }[];
    };
  };

  beforeAll(async () => {
    t = await startIntakeTestApp('audit');
    [officer, clinician, auditor] = await Promise.all([
      token(['officer']),
      token(['clinician'], { subject: 'clin-7' }),
      token(['auditor']),
    ]);
  });
  afterAll(() => t?.close());

  describe('reads', () => {
    it('records one entry per GET of an incident: who, what, why, when, from where; no PHI values', async () => {
      const incident = await report();
      const before = Date.now();
      const res = await http()
        .get(`/v1/incidents/${incident.id}`)
        .set('authorization', `Bearer ${clinician}`)
        .set('cit-purpose-of-use', 'care-coordination')
        .set('x-correlation-id', 'corr-audit-1');
      expect(res.status).toBe(200);
      const reads = await entries(`record_id = $1 AND action = 'read'`, [incident.id]);
      expect(reads).toHaveLength(1);
      const [e] = reads;
      expect(e).toMatchObject({
        department_id: 'dept-a',
        actor_subject: 'clin-7',
        actor_kind: 'staff',
        actor_roles: ['clinician'],
        purpose: 'care-coordination',
        record_type: 'incident',
        outcome: 'success',
        request_id: res.headers['x-request-id'],
        correlation_id: 'corr-audit-1',
      });
      expect(e!.client_address).toMatch(/127\.0\.0\.1$/);
      expect(e!.person_ids.sort()).toEqual(incident.subjects.map((s) => s.personId).sort());
      expect(e!.fields).toEqual(expect.arrayContaining(['narrative', 'location.address', 'subjects.name']));
      const [{ at }] = await t.db.ownerDataSource.query(`SELECT occurred_at AS at FROM audit_log WHERE id = $1`, [
        e!.id,
      ]);
      expect((at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
      const stored = JSON.stringify(
        await t.db.ownerDataSource.query(`SELECT * FROM audit_log WHERE department_id = 'dept-a'`),
      );
      for (const value of [
        incident.narrative,
        incident.subjects[0]!.name,
        createIncidentExample.location.address,
        '1991-04-12',
      ])
        expect(stored).not.toContain(value);
    });

    it('takes the purpose from the role when no header names it, and refuses an unknown purpose before reading', async () => {
      const incident = await report();
      await http().get(`/v1/incidents/${incident.id}`).set('authorization', `Bearer ${clinician}`).expect(200);
      expect((await entries(`record_id = $1 AND action = 'read'`, [incident.id])).map((e) => e.purpose)).toEqual([
        'treatment',
      ]);
      const bad = await http()
        .get(`/v1/incidents/${incident.id}`)
        .set('authorization', `Bearer ${clinician}`)
        .set('cit-purpose-of-use', 'break-glass');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('CIT-Purpose-Of-Use');
      expect(await entries(`record_id = $1 AND action = 'read'`, [incident.id])).toHaveLength(1);
    });

    it('records listings per incident, and person repeat contacts with the person', async () => {
      const incident = await report();
      const list = await http().get('/v1/incidents').query({ limit: 2 }).set('authorization', `Bearer ${clinician}`);
      expect(list.status).toBe(200);
      expect((await entries(`request_id = $1`, [list.headers['x-request-id']])).map((e) => e.record_id)).toEqual(
        list.body.items.map((i: { id: string }) => i.id),
      );
      const personId = incident.subjects[0]!.personId;
      const contacts = await http()
        .get(`/v1/persons/${personId}/incidents`)
        .set('authorization', `Bearer ${clinician}`);
      expect(contacts.status).toBe(200);
      const seen = await entries(`request_id = $1`, [contacts.headers['x-request-id']]);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((e) => e.person_ids.includes(personId))).toBe(true);
    });

    it('answers 503, not the data, when the read cannot be recorded', async () => {
      const incident = await report();
      await t.db.ownerDataSource.query(
        `CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$`,
      );
      await t.db.ownerDataSource.query(
        `CREATE TRIGGER audit_refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuse()`,
      );
      try {
        const res = await http().get(`/v1/incidents/${incident.id}`).set('authorization', `Bearer ${clinician}`);
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(JSON.stringify(res.body)).not.toContain(incident.narrative);
      } finally {
        await t.db.ownerDataSource.query(`DROP TRIGGER audit_refuse ON audit_log`);
        await t.db.ownerDataSource.query(`DROP FUNCTION audit_refuse()`);
      }
    });
  });

  describe('writes', () => {
    it('records a change in the transaction of the change itself', async () => {
      const incident = await report();
      const res = await http()
        .post(`/v1/incidents/${incident.id}/supplements`)
        .set('authorization', `Bearer ${officer}`)
        .send({ narrative: 'Follow-up visit: subject calmer, accepted a referral.' });
      expect(res.status).toBe(201);
      const [e] = await entries(`record_id = $1 AND action = 'update'`, [incident.id]);
      expect(e).toMatchObject({ actor_roles: ['officer'], purpose: 'operations', fields: ['supplements.narrative'] });
      // Same transaction id as the supplement row it describes.
      const [{ same }] = await t.db.ownerDataSource.query(
        `SELECT (SELECT xmin::text FROM audit_log WHERE id = $1) = (SELECT xmin::text FROM incident_supplement WHERE incident_id = $2) AS same`,
        [e!.id, incident.id],
      );
      expect(same).toBe(true);
    });

    it('leaves no entry when the change rolls back', async () => {
      const incident = await report();
      await t.db.ownerDataSource.query(
        `CREATE FUNCTION supplement_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
      );
      await t.db.ownerDataSource.query(
        `CREATE TRIGGER supplement_refuse AFTER INSERT ON incident_supplement FOR EACH ROW EXECUTE FUNCTION supplement_refuse()`,
      );
      try {
        const res = await http()
          .post(`/v1/incidents/${incident.id}/supplements`)
          .set('authorization', `Bearer ${officer}`)
          .send({ narrative: 'A supplement that never commits.' });
        expect(res.status).toBe(500);
      } finally {
        await t.db.ownerDataSource.query(`DROP TRIGGER supplement_refuse ON incident_supplement`);
        await t.db.ownerDataSource.query(`DROP FUNCTION supplement_refuse()`);
      }
      expect(await entries(`record_id = $1 AND action = 'update'`, [incident.id])).toEqual([]);
    });

    it('records a correction with the corrected field names and a creation with the new ids', async () => {
      const incident = await report();
      const created = await entries(`record_id = $1 AND action = 'create'`, [incident.id]);
      expect(created).toHaveLength(1);
      expect(created[0]!.person_ids.sort()).toEqual(incident.subjects.map((s) => s.personId).sort());
      // Written by the group commit that stored the incident: same transaction id.
      const [{ same }] = await t.db.ownerDataSource.query(
        `SELECT (SELECT xmin::text FROM audit_log WHERE id = $1) = (SELECT xmin::text FROM incident WHERE id = $2) AS same`,
        [created[0]!.id, incident.id],
      );
      expect(same).toBe(true);
      const replay = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .send({
          ...createIncidentExample,
          externalIds: { cadCallNumber: await cadOf(incident.id) },
          subjects: [uniqueSubject()],
        });
      expect(replay.status).toBe(200);
      expect((await entries(`record_id = $1`, [incident.id])).map((e) => e.action)).toEqual(['create', 'read']);
      const supervisor = await token(['supervisor']);
      const res = await http()
        .patch(`/v1/incidents/${incident.id}`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ changes: { narrative: 'Corrected narrative text.' }, reason: { code: 'data-entry-error' } });
      expect(res.status).toBe(200);
      expect((await entries(`record_id = $1 AND action = 'update'`, [incident.id])).map((e) => e.fields)).toEqual([
        ['narrative'],
      ]);
    });
  });

  describe('persons and imports', () => {
    it('records a merge with both persons, its undo, and an import that stored incidents (not one that stored none)', async () => {
      const [a, b] = [await report(), await report()];
      const supervisor = await token(['supervisor']);
      const [from, into] = [a.subjects[0]!.personId, b.subjects[0]!.personId];
      const merged = await http()
        .post(`/v1/persons/${from}/merge`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ intoPersonId: into, reason: 'Same person' });
      expect(merged.status).toBe(200);
      const [m] = await entries(`action = 'merge' AND record_id = $1`, [from]);
      expect(m!.person_ids.sort()).toEqual([from, into].sort());
      const undone = await http()
        .post(`/v1/persons/merges/${merged.body.mergeId}/undo`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ reason: 'Twins' });
      expect(undone.status).toBe(200);
      expect(await entries(`action = 'unmerge' AND record_id = $1`, [merged.body.mergeId])).toHaveLength(1);

      const admin = await token(['admin']);
      const importedCad = cad();
      const line = JSON.stringify({
        ...createIncidentExample,
        externalIds: { cadCallNumber: importedCad },
        subjects: [uniqueSubject()],
      });
      const imported = await http()
        .post('/v1/imports?format=ndjson')
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'application/x-ndjson')
        .send(`${line}\n`);
      expect(imported.status).toBe(201);
      const [batch] = await entries(`action = 'import' AND record_id = $1`, [imported.body.importId]);
      const [{ same }] = await t.db.ownerDataSource.query(
        `SELECT (SELECT xmin::text FROM audit_log WHERE id = $1) = (SELECT xmin::text FROM incident WHERE cad_call_number = $2) AS same`,
        [batch!.id, importedCad],
      );
      expect(same).toBe(true);
      const nothing = await http()
        .post('/v1/imports?format=ndjson')
        .set('authorization', `Bearer ${admin}`)
        .set('content-type', 'application/x-ndjson')
        .send('{"not":"an incident"}\n');
      expect(nothing.status).toBe(201);
      expect(nothing.body.rowsImported).toBe(0);
      expect(await entries(`action = 'import' AND record_id = $1`, [nothing.body.importId])).toEqual([]);
    });
  });

  describe('the chain', () => {
    it('serializes concurrent appends of one department into one chain', async () => {
      const incident = await report();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          http().get(`/v1/incidents/${incident.id}`).set('authorization', `Bearer ${clinician}`),
        ),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      const seqs = (
        await t.db.ownerDataSource.query(`SELECT seq FROM audit_log WHERE department_id = 'dept-a' ORDER BY seq`)
      ).map((r: { seq: string }) => Number(r.seq));
      expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
      expect(await verifyAuditChain(t.db.ownerDataSource, 'dept-a')).toMatchObject({
        status: 'intact',
        entries: seqs.length,
      });
    });

    it('verifies, then names exactly the edited entry once a row is changed behind the trigger', async () => {
      const lines: string[] = [];
      const args = ['verify', '--department', 'dept-a', '--database', t.db.databaseName];
      expect(await runAuditCli(args, (l) => lines.push(l))).toBe(0);
      expect(lines.join('\n')).toContain('intact');

      const [victim] = await t.db.ownerDataSource.query(
        `SELECT id, seq FROM audit_log WHERE department_id = 'dept-a' ORDER BY seq OFFSET 2 LIMIT 1`,
      );
      // Only the owner can do this, and only by disabling the append-only trigger first.
      await t.db.ownerDataSource.transaction(async (m) => {
        await m.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`);
        await m.query(`UPDATE audit_log SET purpose = 'operations', person_ids = '{}' WHERE id = $1`, [victim.id]);
        await m.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`);
      });

      expect(await verifyAuditChain(t.db.ownerDataSource, 'dept-a')).toMatchObject({
        status: 'broken',
        firstBroken: { seq: Number(victim.seq), id: victim.id, reason: 'hash-mismatch' },
      });
      lines.length = 0;
      expect(await runAuditCli(args, (l) => lines.push(l))).toBe(1);
      expect(lines.join('\n')).toContain(`BROKEN at seq ${victim.seq} id ${victim.id}`);
      // Another department's chain is untouched.
      expect((await verifyAuditChain(t.db.ownerDataSource, 'dept-b')).status).toBe('intact');
    });

    it('cannot be changed by the runtime role: UPDATE, DELETE and TRUNCATE are refused', async () => {
      const client = new Client({ connectionString: t.db.runtimeUrl });
      await client.connect();
      try {
        for (const statement of [
          `UPDATE audit_log SET purpose = 'operations'`,
          `DELETE FROM audit_log`,
          `TRUNCATE audit_log`,
        ]) {
          await client.query('BEGIN');
          await client.query(`SELECT set_config('app.department_id', 'dept-a', true)`);
          await expect(client.query(statement)).rejects.toMatchObject({ code: '42501' });
          await client.query('ROLLBACK');
        }
        const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM audit_log`)).rows;
        expect(n).toBe(0); // no tenant set: RLS shows nothing
      } finally {
        await client.end();
      }
      // Even the owner is stopped by the trigger while it is enabled.
      await expect(
        t.db.ownerDataSource.query(`DELETE FROM audit_log WHERE department_id = 'dept-a'`),
      ).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe('GET /v1/audit', () => {
    it('is documented in OpenAPI, with the purpose and break-glass headers on PHI routes', async () => {
      const doc = (await http().get('/docs-json')).body as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
      };
      expect(doc.paths['/v1/audit']!.get!.parameters!.map((p) => p.name)).toEqual(
        expect.arrayContaining(['person', 'user', 'from', 'to', 'limit', 'cursor']),
      );
      const headers = doc.paths['/v1/incidents/{id}']!.get!.parameters!.filter((p) => p.in === 'header').map(
        (p) => p.name,
      );
      expect(headers).toEqual(expect.arrayContaining(['CIT-Purpose-Of-Use', 'CIT-Break-Glass-Reason']));
    });

    it('is for auditors only', async () => {
      for (const role of ['admin', 'clinician', 'supervisor'] as Role[]) {
        const res = await http()
          .get('/v1/audit')
          .set('authorization', `Bearer ${await token([role])}`);
        expect(res.status).toBe(403);
      }
    });

    it('filters by person, user and time range, and pages with a cursor until null', async () => {
      const incident = await report();
      const reader = await token(['coordinator'], { subject: 'coord-audit-9' });
      await http().get(`/v1/incidents/${incident.id}`).set('authorization', `Bearer ${reader}`).expect(200);
      await http().get(`/v1/incidents/${incident.id}`).set('authorization', `Bearer ${reader}`).expect(200);
      const personId = incident.subjects[0]!.personId;

      const byUser = await http()
        .get('/v1/audit')
        .query({ user: 'coord-audit-9' })
        .set('authorization', `Bearer ${auditor}`);
      expect(byUser.status).toBe(200);
      expect(byUser.body.items).toHaveLength(2);
      expect(byUser.body.items[0]).toMatchObject({
        actor: { subject: 'coord-audit-9', roles: ['coordinator'] },
        purpose: 'care-coordination',
        recordId: incident.id,
        action: 'read',
      });
      expect(byUser.body.nextCursor).toBeNull();

      const byPerson = await http()
        .get('/v1/audit')
        .query({ person: personId })
        .set('authorization', `Bearer ${auditor}`);
      expect(byPerson.body.items.map((i: { action: string }) => i.action).sort()).toEqual(['create', 'read', 'read']);

      const future = new Date(Date.now() + 60_000).toISOString();
      const none = await http()
        .get('/v1/audit')
        .query({ user: 'coord-audit-9', from: future })
        .set('authorization', `Bearer ${auditor}`);
      expect(none.body).toEqual({ items: [], nextCursor: null });
      const until = await http()
        .get('/v1/audit')
        .query({ user: 'coord-audit-9', to: future, from: '2020-01-01T00:00:00Z' })
        .set('authorization', `Bearer ${auditor}`);
      expect(until.body.items).toHaveLength(2);

      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await http()
          .get('/v1/audit')
          .query({ person: personId, limit: 1, ...(cursor ? { cursor } : {}) })
          .set('authorization', `Bearer ${auditor}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((i: { seq: number }) => i.seq));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(byPerson.body.items.map((i: { seq: number }) => i.seq));

      const otherDepartment = await http()
        .get('/v1/audit')
        .query({ person: personId })
        .set('authorization', `Bearer ${await token(['auditor'], { department: 'dept-b' })}`);
      expect(otherDepartment.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('break-glass', () => {
    const reason = 'On-call for sector 5 tonight: crisis callback';

    it('requires a stated reason outside the assigned districts, refuses roles that cannot break glass, and records and announces an allowed one', async () => {
      const incident = await report({ location: { ...createIncidentExample.location, district: 'sector-5' } });
      const outOfScope = await token(['clinician'], { districts: ['sector-3'], subject: 'clin-bg' });

      const required = await http().get(`/v1/incidents/${incident.id}`).set('authorization', `Bearer ${outOfScope}`);
      expect(required.status).toBe(403);
      expect(required.body.type).toBe('https://cit-platform.org/problems/break-glass-required');
      expect(JSON.stringify(required.body)).not.toContain(incident.narrative);

      const officerOutOfScope = await token(['officer'], { districts: ['sector-3'] });
      const denied = await http()
        .get(`/v1/incidents/${incident.id}`)
        .set('authorization', `Bearer ${officerOutOfScope}`)
        .set('cit-break-glass-reason', reason);
      expect(denied.status).toBe(403);
      expect(denied.body.type).toBe('https://cit-platform.org/problems/break-glass-not-permitted');

      const allowed = await http()
        .get(`/v1/incidents/${incident.id}`)
        .set('authorization', `Bearer ${outOfScope}`)
        .set('cit-break-glass-reason', reason);
      expect(allowed.status).toBe(200);
      expect(allowed.body.narrative).toBe(incident.narrative);

      const inScope = await token(['clinician'], { districts: ['sector-5'] });
      await http().get(`/v1/incidents/${incident.id}`).set('authorization', `Bearer ${inScope}`).expect(200);

      const reads = await entries(`record_id = $1 AND action = 'read'`, [incident.id]);
      expect(reads.map((e) => [e.purpose, e.outcome])).toEqual([
        ['treatment', 'denied'],
        ['operations', 'denied'],
        ['break-glass', 'success'],
        ['treatment', 'success'],
      ]);
      const glass = reads[2]!;
      expect(glass.reason_ciphertext).toMatch(/^enc:v1:/);
      expect(JSON.stringify(reads)).not.toContain('sector 5 tonight');

      const events = await t.db.ownerDataSource.query(
        `SELECT message_key, payload FROM outbox WHERE event_type = 'cit.audit.break-glass-access.v1' AND message_key = $1`,
        [incident.id],
      );
      expect(events).toHaveLength(1);
      expect(events[0].payload.data).toEqual({
        auditEntryId: glass.id,
        service: 'intake',
        subject: 'clin-bg',
        roles: ['clinician'],
        recordType: 'incident',
        recordId: incident.id,
        personIds: glass.person_ids,
        occurredAt: expect.any(String),
      });
      expect(JSON.stringify(events)).not.toContain('tonight');

      const log = await http().get('/v1/audit').query({ user: 'clin-bg' }).set('authorization', `Bearer ${auditor}`);
      expect(log.body.items.find((i: { purpose: string }) => i.purpose === 'break-glass')).toMatchObject({
        breakGlassReason: reason,
        recordId: incident.id,
      });
    });
  });
});
