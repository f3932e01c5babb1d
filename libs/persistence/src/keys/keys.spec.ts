import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePhiKeys } from '../crypto/key-ring';
import { generatePhiKey, nextKeyId, readEnvFile, rotatedPhiKeys, setEnvFileValues } from './key-rotation';
import { PLATFORM_PHI_COLUMNS, type PhiColumnSpec } from './phi-column.catalog';
import { bindingOfRow, legacyValues, valuesUnderOtherKeys } from './phi-keys';

const key = (fill: string) => Buffer.alloc(32, fill).toString('base64');

describe('key rotation (pure parts)', () => {
  it('names the new key by date and never reuses an id', () => {
    const now = new Date('2026-12-02T05:00:00Z');
    expect(nextKeyId(['dev-1'], now)).toBe('k20261202');
    expect(nextKeyId(['dev-1', 'k20261202'], now)).toBe('k20261202-2');
    expect(nextKeyId(['k20261202', 'k20261202-2'], now)).toBe('k20261202-3');
  });

  it('adds the key as active and keeps the old ones; refuses a taken or malformed id', () => {
    const next = rotatedPhiKeys(`a:${key('a')}`, 'b', key('b'));
    expect(next.PHI_ACTIVE_KEY_ID).toBe('b');
    expect([...parsePhiKeys(next.PHI_KEYS).keys()]).toEqual(['a', 'b']);
    expect(() => rotatedPhiKeys(`a:${key('a')}`, 'a', key('b'))).toThrow(/already in PHI_KEYS/);
    expect(() => rotatedPhiKeys(`a:${key('a')}`, 'bad id', key('b'))).toThrow(/key id must match/);
    expect(() => rotatedPhiKeys(`a:${key('a')}`, 'b', 'c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('makes 32-byte keys, marked DEV-ONLY for development', () => {
    const dev = Buffer.from(generatePhiKey(true), 'base64');
    expect(dev).toHaveLength(32);
    expect(dev.subarray(0, 8).toString('ascii')).toBe('DEV-ONLY');
    const prod = Buffer.from(generatePhiKey(false), 'base64');
    expect(prod).toHaveLength(32);
    expect(prod.subarray(0, 8).toString('ascii')).not.toBe('DEV-ONLY');
  });

  it('sets env file values in place, keeping comments and order, owner-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-spec-'));
    try {
      const file = join(dir, 'env');
      writeFileSync(
        file,
        `# header\nDATABASE_URL=postgresql://x@h/db\nPHI_KEYS=a:${key('a')}\nPHI_ACTIVE_KEY_ID=a\nLOG_LEVEL=info\n`,
      );
      setEnvFileValues(file, { PHI_KEYS: `a:${key('a')},b:${key('b')}`, PHI_ACTIVE_KEY_ID: 'b', NEW_ONE: 'x' });
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n').map((l) => l.split('=')[0])).toEqual([
        '# header',
        'DATABASE_URL',
        'PHI_KEYS',
        'PHI_ACTIVE_KEY_ID',
        'LOG_LEVEL',
        'NEW_ONE',
        '',
      ]);
      expect(readEnvFile(file)).toMatchObject({ PHI_ACTIVE_KEY_ID: 'b', PHI_KEYS: `a:${key('a')},b:${key('b')}` });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(() => setEnvFileValues(file, { X: 'has space' })).toThrow(/needs quoting/);
      expect(readEnvFile(join(dir, 'absent'))).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PHI column catalog and bindings', () => {
  const spec = (binding: PhiColumnSpec['binding']): PhiColumnSpec => ({
    table: 'nomination',
    column: 'name_ciphertext',
    keyColumns: ['id'],
    binding,
    legacyAad: 'old',
  });
  const foreign = (whenNull: 'row' | 'legacy') =>
    spec({ kind: 'foreign', table: 'incident_subject', column: 'name', rowIdColumn: 'name_subject_id', whenNull });

  it('binds a row column to its own row, a foreign one to the row it names, a legacy one to nothing', () => {
    const row = { id: 'nom_1', name_subject_id: 'sub_9' };
    expect(bindingOfRow(spec({ kind: 'row' }), 'dept-a', row)).toEqual({
      departmentId: 'dept-a',
      table: 'nomination',
      column: 'name_ciphertext',
      rowId: 'nom_1',
      legacyAad: 'old',
    });
    expect(bindingOfRow(foreign('row'), 'dept-a', row)).toEqual({
      departmentId: 'dept-a',
      table: 'incident_subject',
      column: 'name',
      rowId: 'sub_9',
      legacyAad: 'old',
    });
    expect(bindingOfRow(foreign('row'), 'dept-a', { id: 'nom_1', name_subject_id: null })?.table).toBe('nomination');
    expect(bindingOfRow(foreign('legacy'), 'dept-a', { id: 'nom_1', name_subject_id: null })).toBeUndefined();
    expect(bindingOfRow(spec({ kind: 'legacy' }), 'dept-a', row)).toBeUndefined();
  });

  it('names a row of several key columns by all of them and computes row-naming legacy data', () => {
    const plan = PLATFORM_PHI_COLUMNS.triage!.find((s) => s.column === 'treatment_goals_ciphertext')!;
    expect(bindingOfRow(plan, 'dept-a', { case_id: 'case_1', version: 3 })).toEqual({
      departmentId: 'dept-a',
      table: 'diversion_plan',
      column: 'treatment_goals_ciphertext',
      rowId: 'case_1:3',
      legacyAad: 'diversion_plan.treatment_goals:case_1:3',
    });
    const secret = PLATFORM_PHI_COLUMNS.referral!.find((s) => s.column === 'previous_secret_ciphertext')!;
    expect(bindingOfRow(secret, 'dept-a', { agency_id: 'ag_1' })?.legacyAad).toBe(
      'webhook_endpoint.previous:dept-a:ag_1',
    );
  });

  it('lists every service with plain identifiers; audit_log is append-only', () => {
    expect(Object.keys(PLATFORM_PHI_COLUMNS).sort()).toEqual([
      'conference',
      'followup',
      'intake',
      'referral',
      'triage',
    ]);
    for (const specs of Object.values(PLATFORM_PHI_COLUMNS)) {
      for (const s of specs) {
        for (const name of [s.table, s.column, ...s.keyColumns]) expect(name).toMatch(/^[a-z_][a-z0-9_]*$/);
        if (s.table === 'audit_log') expect(s.appendOnly).toBe(true);
      }
    }
  });

  it('counts values under other keys (append-only ones are the caller’s to leave out) and legacy values', () => {
    const status = [
      {
        table: 't',
        column: 'c',
        present: true,
        appendOnly: false,
        counts: { old: { v1: 2, v2: 3 }, new: { v1: 1, v2: 9 } },
      },
    ];
    expect(valuesUnderOtherKeys(status, 'new')).toBe(5);
    expect(legacyValues(status)).toBe(3);
  });
});
