/**
 * Person matching, repeat contacts and merge/undo on the real database, over HTTP where the
 * API is the thing under test.
 */
import { randomUUID } from 'node:crypto';
import { Module, type INestApplication } from '@nestjs/common';
import { issueDevToken } from '@cit/auth';
import {
  BlindIndex,
  createTestDatabase,
  runtimeRoleName,
  tenantTransaction,
  type TestDatabase,
} from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import type { DataSource } from 'typeorm';
import { intakeService } from '../intake.definition';
import { PersonMatcher } from './person-matcher.service';
import { personPhoneIndex } from './person-indexes';
import { PersonsModule } from './persons.module';

@Module({ imports: [PersonsModule] })
class PersonsTestModule {}

const DEPT = 'dept-persons';
const OTHER = 'dept-other';

describe('persons (integration)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let url: string;
  let matcher: PersonMatcher;
  const blind = BlindIndex.fromEnv();
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // The app connects as intake's runtime role; the test inspects as the owner.
    db = await createTestDatabase({
      entities: intakeService.entities,
      migrations: intakeService.migrations,
      prefix: 'intake_persons',
      runtimeRole: runtimeRoleName(intakeService.name),
    });
    ds = db.ownerDataSource;
    app = await createServiceApp(intakeService, PersonsTestModule, {
      ...loadServiceEnv(),
      DATABASE_NAME: db.databaseName,
      LOG_LEVEL: 'warn',
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
    matcher = app.get(PersonMatcher);
    tokens.supervisor = await issueDevToken({ roles: ['supervisor'], department: DEPT });
    tokens.clinician = await issueDevToken({ roles: ['clinician'], department: DEPT });
    tokens.officer = await issueDevToken({ roles: ['officer'], department: DEPT });
    tokens.otherSupervisor = await issueDevToken({ roles: ['supervisor'], department: OTHER });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const api = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  let seq = 0;
  /** Stores an incident with one subject (identity as indexes only) and links it, as the incident writer does. */
  async function report(
    subject: { name: string; dob?: string; phone?: string },
    opts: { dept?: string; occurredAt?: string } = {},
  ) {
    const dept = opts.dept ?? DEPT;
    const incidentId = `inc_${randomUUID().replace(/-/g, '')}`;
    const subjectId = `sub_${randomUUID().replace(/-/g, '')}`;
    const m = subject.dob ? blind.forDepartment(dept).personMatch(subject.name, subject.dob) : null;
    const p = personPhoneIndex(blind.forDepartment(dept), subject.name, subject.phone);
    const occurredAt = opts.occurredAt ?? new Date(Date.UTC(2024, 0, 1, 0, 0, ++seq)).toISOString();
    // The matcher under test runs on the runtime role, under the department's tenant.
    return tenantTransaction(db.dataSource, dept, async (em) => {
      await em.query(
        `INSERT INTO incident (id, department_id, cad_call_number, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
         VALUES ($1, $2, $3, $4, $4, 'welfare-check', 'non-criminal', 'mental-health', 'officer-1', 'test')`,
        [incidentId, dept, `CAD-${incidentId}`, occurredAt],
      );
      await em.query(
        `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, person_match_index, person_phone_index)
         VALUES ($1, $2, $3, 0, 'enc:v1:test', $4, $5)`,
        [subjectId, incidentId, dept, m, p],
      );
      const links = await matcher.linkSubjects(em, dept, [{ id: subjectId, personMatchIndex: m, personPhoneIndex: p }]);
      return { incidentId, subjectId, personId: links.get(subjectId)! };
    });
  }

  describe('PersonMatcher', () => {
    it('same name + dob → same person; spelling variants too', async () => {
      const a = await report({ name: 'Robin Match', dob: '1970-01-02' });
      const b = await report({ name: 'ROBIN  match', dob: '1970-01-02' });
      expect(b.personId).toBe(a.personId);
      const [row] = await ds.query('SELECT person_id FROM incident_subject WHERE id = $1', [b.subjectId]);
      expect(row.person_id).toBe(a.personId);
    });

    it('same name + phone without dob → same person', async () => {
      const a = await report({ name: 'Casey Phone', phone: '617-555-0199' });
      const b = await report({ name: 'Casey Phone', phone: '(617) 555 0199' });
      expect(b.personId).toBe(a.personId);
    });

    it('a dob match with a phone joins the dob person; a later phone-only report joins it too', async () => {
      const a = await report({ name: 'Jamie Both', dob: '1985-05-05' });
      const b = await report({ name: 'Jamie Both', dob: '1985-05-05', phone: '6175550111' });
      const c = await report({ name: 'Jamie Both', phone: '617 555 0111' });
      expect(new Set([a.personId, b.personId, c.personId]).size).toBe(1);
    });

    it('different identity → different person; no index → a person of its own', async () => {
      const a = await report({ name: 'Alex Diff', dob: '1990-01-01' });
      const b = await report({ name: 'Alex Diff', dob: '1990-01-02' });
      const c = await report({ name: 'Alex Diff' });
      const d = await report({ name: 'Alex Diff' });
      expect(new Set([a.personId, b.personId, c.personId, d.personId]).size).toBe(4);
    });

    it('the same identity in another department is another person', async () => {
      const a = await report({ name: 'Dana Dept', dob: '1960-06-06' });
      const b = await report({ name: 'Dana Dept', dob: '1960-06-06' }, { dept: OTHER });
      expect(b.personId).not.toBe(a.personId);
    });

    it('links a whole batch: shared indexes share one new person', async () => {
      const m = blind.forDepartment(DEPT).personMatch('Batch Person', '1999-09-09');
      const links = await tenantTransaction(db.dataSource, DEPT, async (em) => {
        const subjects = [];
        for (let i = 0; i < 3; i++) {
          const inc = `inc_batch${i}_${randomUUID().slice(0, 8)}`;
          await em.query(
            `INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
             VALUES ($1, $2, now(), now(), 'x', 'criminal', 'neither', 'o', 't')`,
            [inc, DEPT],
          );
          await em.query(
            `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, person_match_index) VALUES ($1, $2, $3, 0, 'enc:v1:x', $4)`,
            [`sub_${inc}`, inc, DEPT, i < 2 ? m : null],
          );
          subjects.push({ id: `sub_${inc}`, personMatchIndex: i < 2 ? m : null, personPhoneIndex: null });
        }
        return matcher.linkSubjects(em, DEPT, subjects);
      });
      const persons = [...links.values()];
      expect(persons[0]).toBe(persons[1]);
      expect(persons[2]).not.toBe(persons[0]);
    });

    it('concurrent first reports of the same new person converge on one person (advisory locks)', async () => {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => report({ name: 'Race Condition', dob: '1977-07-07', phone: '6175550777' })),
      );
      expect(new Set(results.map((r) => r.personId)).size).toBe(1);
      const [{ n }] = await ds.query(
        `SELECT count(DISTINCT person_id)::int AS n FROM incident_subject WHERE person_match_index = $1`,
        [blind.forDepartment(DEPT).personMatch('Race Condition', '1977-07-07')],
      );
      expect(n).toBe(1);
    });

    it('a subject matching a merged-away person resolves to the merge target', async () => {
      const a = await report({ name: 'Merged Away', dob: '1950-01-01' });
      const b = await report({ name: 'Merge Target', dob: '1950-01-01' });
      // A subject left behind on the merged person (as a race with the merge could leave it).
      await ds.query('UPDATE person SET merged_into = $2 WHERE id = $1', [a.personId, b.personId]);
      const c = await report({ name: 'Merged Away', dob: '1950-01-01' });
      expect(c.personId).toBe(b.personId);
    });

    it('refuses to run outside a transaction', async () => {
      await expect(
        matcher.linkSubjects(ds.manager, DEPT, [{ id: 'x', personMatchIndex: 'm', personPhoneIndex: null }]),
      ).rejects.toThrow(/transaction/);
    });
  });

  describe('GET /v1/persons/{id}/incidents', () => {
    it('lists repeat contacts newest first with cursor pagination, codes only', async () => {
      const first = await report(
        { name: 'Repeat Contact', dob: '1988-08-08' },
        { occurredAt: '2024-02-01T10:00:00.000Z' },
      );
      const times = [
        '2024-02-02T10:00:00.000Z',
        '2024-02-03T10:00:00.000Z',
        '2024-02-03T10:00:00.000Z',
        '2024-02-04T10:00:00.000Z',
      ];
      for (const t of times) await report({ name: 'Repeat Contact', dob: '1988-08-08' }, { occurredAt: t });

      const seen: { id: string; occurredAt: string }[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await api(
          'GET',
          `/v1/persons/${first.personId}/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          tokens.clinician!,
        );
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          items: { id: string; occurredAt: string; callType: string }[];
          nextCursor: string | null;
        };
        expect(body.items.length).toBeLessThanOrEqual(2);
        for (const item of body.items) {
          expect(item.callType).toBe('welfare-check');
          expect(JSON.stringify(item)).not.toMatch(/enc:v[12]/);
        }
        seen.push(...body.items);
        cursor = body.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(5);
      expect(new Set(seen.map((s) => s.id)).size).toBe(5);
      expect(seen.map((s) => s.occurredAt)).toEqual([...seen.map((s) => s.occurredAt)].sort().reverse());
      expect(seen[4]!.id).toBe(first.incidentId);
    });

    it('404 for another department’s person; 403 for an officer; 400 for a forged cursor', async () => {
      const other = await report({ name: 'Elsewhere', dob: '1966-06-06' }, { dept: OTHER });
      const mine = await report({ name: 'Here', dob: '1966-06-06' });
      expect((await api('GET', `/v1/persons/${other.personId}/incidents`, tokens.clinician!)).status).toBe(404);
      expect((await api('GET', `/v1/persons/${mine.personId}/incidents`, tokens.officer!)).status).toBe(403);
      const bad = await api('GET', `/v1/persons/${mine.personId}/incidents?cursor=abc`, tokens.clinician!);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('cursor');
    });
  });

  describe('merge and undo', () => {
    it('writes cit.person.merged.v1 and cit.person.unmerged.v1 to the outbox with the merge and its undo, ids only', async () => {
      const a = await report({ name: 'Evt Source', dob: '1974-04-04' });
      const b = await report({ name: 'Evt Target', dob: '1974-04-04' });
      const outboxOf = async (type: string, mergeId: string) =>
        (await ds.query(
          `SELECT department_id, topic, message_key, payload FROM outbox WHERE event_type = $1 AND payload->'data'->>'mergeId' = $2`,
          [type, mergeId],
        )) as { department_id: string; topic: string; message_key: string; payload: Record<string, unknown> }[];

      const merged = await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
        intoPersonId: b.personId,
        reason: 'Evt Source is a PHI-looking reason',
      });
      expect(merged.status).toBe(200);
      const { mergeId, mergedAt } = (await merged.json()) as { mergeId: string; mergedAt: string };
      const [mergedRow, ...moreMerged] = await outboxOf('cit.person.merged.v1', mergeId);
      expect(moreMerged).toHaveLength(0);
      expect(mergedRow).toMatchObject({ department_id: DEPT, topic: 'cit.incident.v1', message_key: b.personId });
      expect(mergedRow!.payload).toMatchObject({
        type: 'cit.person.merged.v1',
        subject: b.personId,
        departmentid: DEPT,
        data: { survivingPersonId: b.personId, mergedPersonId: a.personId, mergeId, mergedAt },
      });
      expect(JSON.stringify(mergedRow!.payload)).not.toContain('Evt Source');

      // A refused merge (already merged away) writes no event.
      const before = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type = 'cit.person.merged.v1'`);
      expect(
        (
          await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
            intoPersonId: b.personId,
            reason: 'again',
          })
        ).status,
      ).toBe(409);
      expect(await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type = 'cit.person.merged.v1'`)).toEqual(
        before,
      );

      const undone = await api('POST', `/v1/persons/merges/${mergeId}/undo`, tokens.supervisor!, { reason: 'no' });
      expect(undone.status).toBe(200);
      const { undoneAt } = (await undone.json()) as { undoneAt: string };
      const [unmergedRow, ...moreUnmerged] = await outboxOf('cit.person.unmerged.v1', mergeId);
      expect(moreUnmerged).toHaveLength(0);
      expect(unmergedRow).toMatchObject({ department_id: DEPT, topic: 'cit.incident.v1', message_key: b.personId });
      expect(unmergedRow!.payload).toMatchObject({
        type: 'cit.person.unmerged.v1',
        data: { survivingPersonId: b.personId, mergedPersonId: a.personId, mergeId, unmergedAt: undoneAt },
      });
      // A second undo is refused and announces nothing.
      expect(
        (await api('POST', `/v1/persons/merges/${mergeId}/undo`, tokens.supervisor!, { reason: 'twice' })).status,
      ).toBe(409);
      expect(await outboxOf('cit.person.unmerged.v1', mergeId)).toHaveLength(1);
    });

    it('merges, lists the merged incidents under the target, undoes exactly, and refuses a second undo', async () => {
      const a1 = await report({ name: 'Sam Dup', dob: '1971-01-01' });
      const a2 = await report({ name: 'Sam Dup', dob: '1971-01-01' });
      const b1 = await report({ name: 'Samuel Dup', dob: '1971-01-01' });
      expect(a2.personId).toBe(a1.personId);

      const merged = await api('POST', `/v1/persons/${a1.personId}/merge`, tokens.supervisor!, {
        intoPersonId: b1.personId,
        reason: 'same person, nickname',
      });
      expect(merged.status).toBe(200);
      const merge = (await merged.json()) as { mergeId: string; movedSubjectIds: string[] };
      expect(merge.movedSubjectIds.sort()).toEqual([a1.subjectId, a2.subjectId].sort());

      const listed = (await (await api('GET', `/v1/persons/${b1.personId}/incidents`, tokens.clinician!)).json()) as {
        items: { id: string }[];
      };
      expect(listed.items.map((i) => i.id).sort()).toEqual([a1.incidentId, a2.incidentId, b1.incidentId].sort());
      const [rec] = await ds.query(
        'SELECT source_person_id, target_person_id, merged_by, reason FROM person_merge WHERE id = $1',
        [merge.mergeId],
      );
      expect(rec).toMatchObject({
        source_person_id: a1.personId,
        target_person_id: b1.personId,
        reason: 'same person, nickname',
      });

      // A new report of the merged identity lands on the target.
      const a3 = await report({ name: 'Sam Dup', dob: '1971-01-01' });
      expect(a3.personId).toBe(b1.personId);

      // Merging the merged-away person again, or into it, conflicts.
      expect(
        (
          await api('POST', `/v1/persons/${a1.personId}/merge`, tokens.supervisor!, {
            intoPersonId: b1.personId,
            reason: 'again',
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await api('POST', `/v1/persons/${b1.personId}/merge`, tokens.supervisor!, {
            intoPersonId: a1.personId,
            reason: 'into merged',
          })
        ).status,
      ).toBe(409);

      const undone = await api('POST', `/v1/persons/merges/${merge.mergeId}/undo`, tokens.supervisor!, {
        reason: 'different people after all',
      });
      expect(undone.status).toBe(200);
      const rows = await ds.query('SELECT id, person_id FROM incident_subject WHERE id = ANY($1::text[])', [
        [a1.subjectId, a2.subjectId, a3.subjectId, b1.subjectId],
      ]);
      const personOf = Object.fromEntries(rows.map((r: { id: string; person_id: string }) => [r.id, r.person_id]));
      expect(personOf[a1.subjectId]).toBe(a1.personId);
      expect(personOf[a2.subjectId]).toBe(a1.personId);
      expect(personOf[a3.subjectId]).toBe(b1.personId); // linked after the merge: not one of the moved subjects
      expect(personOf[b1.subjectId]).toBe(b1.personId);
      const [person] = await ds.query('SELECT merged_into FROM person WHERE id = $1', [a1.personId]);
      expect(person.merged_into).toBeNull();
      const [undo] = await ds.query('SELECT undone_by, undone_at, undo_reason FROM person_merge WHERE id = $1', [
        merge.mergeId,
      ]);
      expect(undo).toMatchObject({
        undone_by: expect.any(String),
        undone_at: expect.any(Date),
        undo_reason: 'different people after all',
      });

      const again = await api('POST', `/v1/persons/merges/${merge.mergeId}/undo`, tokens.supervisor!, {
        reason: 'twice',
      });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toContain('application/problem+json');
      expect(((await again.json()) as { type: string }).type).toMatch(/conflict$/);
    });

    it('validates bodies (400 naming the field), scopes by department (404) and requires supervisor or admin (403)', async () => {
      const a = await report({ name: 'Val One', dob: '1972-02-02' });
      const b = await report({ name: 'Val Two', dob: '1972-02-02' });
      const other = await report({ name: 'Val Other', dob: '1972-02-02' }, { dept: OTHER });

      const noReason = await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
        intoPersonId: b.personId,
        reason: '',
      });
      expect(noReason.status).toBe(400);
      expect(((await noReason.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
        'reason',
      ]);
      const long = await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
        intoPersonId: b.personId,
        reason: 'x'.repeat(501),
      });
      expect(long.status).toBe(400);
      const self = await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
        intoPersonId: a.personId,
        reason: 'self',
      });
      expect(self.status).toBe(400);
      expect(((await self.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('intoPersonId');
      expect(
        (
          await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
            intoPersonId: other.personId,
            reason: 'x',
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await api('POST', `/v1/persons/${other.personId}/merge`, tokens.supervisor!, {
            intoPersonId: a.personId,
            reason: 'x',
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await api('POST', `/v1/persons/${a.personId}/merge`, tokens.clinician!, {
            intoPersonId: b.personId,
            reason: 'x',
          })
        ).status,
      ).toBe(403);

      const ok = (await (
        await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
          intoPersonId: b.personId,
          reason: 'dup',
        })
      ).json()) as { mergeId: string };
      expect(
        (await api('POST', `/v1/persons/merges/${ok.mergeId}/undo`, tokens.otherSupervisor!, { reason: 'not yours' }))
          .status,
      ).toBe(404);
      expect((await api('POST', `/v1/persons/merges/${ok.mergeId}/undo`, tokens.supervisor!, {})).status).toBe(400);
    });

    it('undo of an earlier merge waits for the later merge of its target to be undone', async () => {
      const a = await report({ name: 'Chain A', dob: '1973-03-03' });
      const b = await report({ name: 'Chain B', dob: '1973-03-03' });
      const c = await report({ name: 'Chain C', dob: '1973-03-03' });
      const ab = (await (
        await api('POST', `/v1/persons/${a.personId}/merge`, tokens.supervisor!, {
          intoPersonId: b.personId,
          reason: 'dup',
        })
      ).json()) as { mergeId: string };
      const bc = (await (
        await api('POST', `/v1/persons/${b.personId}/merge`, tokens.supervisor!, {
          intoPersonId: c.personId,
          reason: 'dup',
        })
      ).json()) as { mergeId: string };
      const listed = (await (await api('GET', `/v1/persons/${c.personId}/incidents`, tokens.clinician!)).json()) as {
        items: unknown[];
      };
      expect(listed.items).toHaveLength(3);
      expect(
        (await api('POST', `/v1/persons/merges/${ab.mergeId}/undo`, tokens.supervisor!, { reason: 'oops' })).status,
      ).toBe(409);
      expect(
        (await api('POST', `/v1/persons/merges/${bc.mergeId}/undo`, tokens.supervisor!, { reason: 'oops' })).status,
      ).toBe(200);
      expect(
        (await api('POST', `/v1/persons/merges/${ab.mergeId}/undo`, tokens.supervisor!, { reason: 'oops' })).status,
      ).toBe(200);
      const [row] = await ds.query('SELECT person_id FROM incident_subject WHERE id = $1', [a.subjectId]);
      expect(row.person_id).toBe(a.personId);
    });
  });
});
