import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { createIncidentExample } from '@cit/contracts';
import { FieldCipher, parsePhiKeys, PhiCryptoError } from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import request from 'supertest';
import { intakeService } from '../intake.definition';
import { IntakeModule } from '../intake.module';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';
import { inDepartment, intakePlaces } from './phi-places';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../../..');

/**
 * Issue 14.2 and 14.4 on the real PostgreSQL: intake's ciphertexts are bound to their row,
 * column and department; `npm run keys -- rotate` and `rewrap` move every value to a new key
 * while a restarted intake keeps writing, and everything still decrypts.
 */
describe('PHI bound to its place; key rotation and rewrap (real PostgreSQL)', () => {
  let t: IntakeTestApp;
  let officer: string;
  let officerB: string;
  let seq = 0;
  const body = (narrative: string, name: string) => ({
    ...createIncidentExample,
    externalIds: { cadCallNumber: `CAD-PB-${Date.now()}-${++seq}` },
    narrative,
    subjects: [{ ...createIncidentExample.subjects[0]!, name }],
  });
  const report = async (url: string, token: string, narrative: string, name: string): Promise<string> => {
    const res = await request(url)
      .post('/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .send(body(narrative, name));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const owner = () => t.db.ownerDataSource;

  beforeAll(async () => {
    t = await startIntakeTestApp('phi_binding');
    [officer, officerB] = await Promise.all([t.token('supervisor'), t.token('supervisor', 'dept-b')]);
  });
  afterAll(() => t?.close());

  describe('a moved ciphertext fails loudly', () => {
    let a: string;
    let b: string;
    let other: string;
    beforeAll(async () => {
      a = await report(t.url, officer, 'Narrative of incident A', 'Avery Alpha');
      b = await report(t.url, officer, 'Narrative of incident B', 'Blake Bravo');
      other = await report(t.url, officerB, 'Narrative of another department', 'Casey Charlie');
    });
    // The tampered incidents would fail the rewrap below (as they must): take them away.
    afterAll(() => owner().query(`DELETE FROM incident WHERE id = ANY($1::text[])`, [[a, b, other]]));

    it('stores v2 tokens and reads them at their place', async () => {
      const [row] = await owner().query(`SELECT narrative, location_address FROM incident WHERE id = $1`, [a]);
      expect(row.narrative).toMatch(/^enc:v2:/);
      const res = await request(t.url).get(`/v1/incidents/${a}`).set('authorization', `Bearer ${officer}`).expect(200);
      expect(res.body.narrative).toBe('Narrative of incident A');
      expect(res.body.subjects[0].name).toBe('Avery Alpha');
    });

    it('refuses a ciphertext copied to another row of the same column', async () => {
      await owner().query(
        `UPDATE incident SET narrative = (SELECT narrative FROM incident WHERE id = $1) WHERE id = $2`,
        [a, b],
      );
      const res = await request(t.url).get(`/v1/incidents/${b}`).set('authorization', `Bearer ${officer}`);
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toContain('incident A');
    });

    it('refuses a ciphertext copied to another column of the same row', async () => {
      const [row] = await owner().query(`SELECT id, name FROM incident_subject WHERE incident_id = $1`, [a]);
      await owner().query(`UPDATE incident_subject SET address = name WHERE id = $1`, [row.id]);
      const res = await request(t.url).get(`/v1/incidents/${a}`).set('authorization', `Bearer ${officer}`);
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toContain('Avery');
    });

    it('refuses a ciphertext copied into another department, naming the place and never the value', async () => {
      const [src] = await owner().query(`SELECT narrative FROM incident WHERE id = $1`, [other]);
      // Same row id and column, other department: only the department differs in the binding.
      const cipher = t.app.get(FieldCipher);
      const place = intakePlaces.incident(other, 'narrative');
      expect(cipher.decrypt(src.narrative, inDepartment('dept-b', place))).toBe('Narrative of another department');
      let error: unknown;
      try {
        cipher.decrypt(src.narrative, inDepartment('dept-a', place));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PhiCryptoError);
      expect((error as Error).message).toContain(`incident.narrative row "${other}" of department "dept-a"`);
      expect((error as Error).message).not.toContain('Narrative');
      // And through the API: dept-b's token moved onto a dept-a incident.
      await owner().query(`UPDATE incident SET narrative = $1 WHERE id = $2`, [src.narrative, a]);
      const res = await request(t.url).get(`/v1/incidents/${a}`).set('authorization', `Bearer ${officer}`);
      expect(res.status).toBe(500);
    });
  });

  it('never lets one data key span departments, however requests of several departments are batched', async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        report(t.url, i % 2 ? officerB : officer, `Concurrent ${i}`, `Concurrent Person ${i}`),
      ),
    );
    const rows: Array<{ department_id: string; name: string }> = await owner().query(
      `SELECT department_id, name FROM incident_subject WHERE incident_id = ANY($1::text[])`,
      [ids],
    );
    // Field 3 of a token is its wrapped data key: a key shared by a batch appears in several tokens.
    const departmentsOfKey = new Map<string, Set<string>>();
    for (const r of rows) {
      const wrapped = r.name.split(':')[3]!;
      departmentsOfKey.set(wrapped, (departmentsOfKey.get(wrapped) ?? new Set()).add(r.department_id));
    }
    expect(new Set(rows.map((r) => r.department_id))).toEqual(new Set(['dept-a', 'dept-b']));
    for (const departments of departmentsOfKey.values()) expect(departments.size).toBe(1);
  });

  describe('npm run keys -- rotate, then rewrap while a restarted intake writes', () => {
    let dir: string;
    let envFile: string;
    let secretsFile: string;
    let restarted: INestApplication | undefined;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cit-keys-'));
      envFile = join(dir, 'env');
      secretsFile = join(dir, 'secrets.env');
      const phi = `PHI_KEYS=${process.env.PHI_KEYS}\nPHI_ACTIVE_KEY_ID=${process.env.PHI_ACTIVE_KEY_ID}\n`;
      writeFileSync(envFile, `# test env\nDATABASE_URL=${process.env.DATABASE_URL}\n${phi}LOG_LEVEL=silent\n`, {
        mode: 0o600,
      });
      copyFileSync(envFile, secretsFile);
    });
    afterAll(async () => {
      await restarted?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const keysCli = async (...args: string[]) => {
      const env = { ...process.env };
      // The CLI reads keys as the services do: the environment wins, so the test's own must not shadow the file.
      for (const k of ['PHI_KEYS', 'PHI_ACTIVE_KEY_ID', 'CIT_DEPARTMENTS', 'DATABASE_MIGRATION_URL']) delete env[k];
      const { stdout } = await run(
        'node',
        [
          '--import',
          'tsx',
          'libs/persistence/src/keys/keys.cli.ts',
          ...args,
          '--env-file',
          envFile,
          '--secrets-file',
          secretsFile,
        ],
        { cwd: ROOT, env, timeout: 120_000 },
      ).catch((err: { stdout?: string; stderr?: string; code?: number }) => {
        throw new Error(`keys ${args[0]} exited ${err.code}: ${err.stdout ?? ''}${err.stderr ?? ''}`);
      });
      return stdout;
    };

    it('adds a key as active, keeps the old one, rewraps every value of both departments and all still decrypt', async () => {
      const written: Array<{ id: string; token: string; narrative: string }> = [];
      for (const [i, token] of [officer, officerB, officer, officerB].entries()) {
        const narrative = `Before rotation ${i}`;
        written.push({ id: await report(t.url, token, narrative, `Person ${i}`), token, narrative });
      }
      // A value written before issue 14: a legacy enc:v1 token, unbound. Rewrap upgrades it to v2 at its place.
      const legacy = {
        id: await report(t.url, officerB, 'placeholder', 'Legacy Person'),
        token: officerB,
        narrative: 'Legacy narrative',
      };
      await owner().query(`UPDATE incident SET narrative = $1 WHERE id = $2`, [
        t.app.get(FieldCipher).encrypt(legacy.narrative, ''),
        legacy.id,
      ]);
      written.push(legacy);
      const oldKey = process.env.PHI_ACTIVE_KEY_ID!;
      const [{ subjects }] = await owner().query(`SELECT count(*)::int AS subjects FROM incident_subject`);

      const rotateOut = await keysCli('rotate', '--key-id', 'rot-test');
      expect(rotateOut).toContain('added key rot-test as active');
      const rotated = readFileSync(envFile, 'utf8');
      expect(rotated).toMatch(/^PHI_ACTIVE_KEY_ID=rot-test$/m);
      expect(readFileSync(secretsFile, 'utf8')).toMatch(/^PHI_ACTIVE_KEY_ID=rot-test$/m);
      const phiKeys = /^PHI_KEYS=(.*)$/m.exec(rotated)![1]!;
      expect([...parsePhiKeys(phiKeys).keys()]).toEqual([oldKey, 'rot-test']);
      expect(rotateOut).not.toContain(phiKeys.split(',')[1]!.split(':')[1]!);

      // The service restarted with the new key, on the same database.
      restarted = await createServiceApp(
        intakeService,
        IntakeModule,
        loadServiceEnv({
          ...process.env,
          DATABASE_NAME: t.db.databaseName,
          PHI_KEYS: phiKeys,
          PHI_ACTIVE_KEY_ID: 'rot-test',
        }),
      );
      await restarted.listen(0, '127.0.0.1');
      const url = await restarted.getUrl();

      // Writes of both departments keep coming while rewrap runs (batch size 2: many small
      // transactions): new incidents, and corrections of old ones that race the rewrap's
      // compare-and-set on the same values.
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing || i < 4; i++) {
          const token = i % 2 ? officerB : officer;
          const narrative = `During rewrap ${i}`;
          written.push({ id: await report(url, token, narrative, `Writer ${i}`), token, narrative });
          const old = written[i % 4]!;
          old.narrative = `Corrected during rewrap ${i}`;
          await request(url)
            .patch(`/v1/incidents/${old.id}`)
            .set('authorization', `Bearer ${old.token}`)
            .send({ changes: { narrative: old.narrative }, reason: { code: 'data-entry-error' } })
            .expect(200);
        }
      })();
      const rewrapOut = await keysCli(
        'rewrap',
        '--service',
        'intake',
        '--database',
        `intake=${t.db.databaseName}`,
        '--department',
        'dept-a',
        '--department',
        'dept-b',
        '--batch-size',
        '2',
      ).finally(() => {
        writing = false;
      });
      await writer;
      // Subject names are never corrected by the writer: every one written before the rotation was rewrapped by the tool.
      expect(rewrapOut).toContain(`intake incident_subject.name: rewrapped ${subjects}, `);

      const status = await keysCli(
        'status',
        '--service',
        'intake',
        '--database',
        `intake=${t.db.databaseName}`,
        '--department',
        'dept-a',
        '--department',
        'dept-b',
      );
      expect(status).toMatch(/^intake: 0 value\(s\) under other keys than rot-test/m);
      for (const line of status.split('\n').filter((l) => l.startsWith('intake incident'))) {
        expect(line).not.toContain(`${oldKey}:`);
      }
      const [{ n }] = await owner().query(
        `SELECT count(*)::int AS n FROM incident WHERE narrative IS NOT NULL AND NOT starts_with(narrative, 'enc:v2:rot-test:')`,
      );
      expect(n).toBe(0);
      expect(status).toMatch(/^intake: 0 value\(s\) under other keys than rot-test, 0 legacy v1 value\(s\)/m);

      for (const w of written) {
        const res = await request(url)
          .get(`/v1/incidents/${w.id}`)
          .set('authorization', `Bearer ${w.token}`)
          .expect(200);
        expect(res.body.narrative).toBe(w.narrative);
      }
    });
  });
});
