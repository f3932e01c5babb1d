import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Column, Entity, PrimaryGeneratedColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  DEFAULT_DATABASE_URL,
  FieldCipher,
  KeyRing,
  createTestDatabase,
  encryptedTransformer,
  ensureDatabase,
  dropDatabase,
  rewrapColumn,
  runMigrations,
  type TestDatabase,
} from '../index';

jest.setTimeout(60_000);

const baseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const cipherK1 = new FieldCipher(new KeyRing({ k1 }, 'k1'));
const cipherK2 = new FieldCipher(new KeyRing({ k1, k2 }, 'k2'));

@Entity('person')
class PersonEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'department_id', type: 'text' })
  departmentId!: string;

  @Column({
    name: 'full_name',
    type: 'text',
    nullable: true,
    transformer: encryptedTransformer(cipherK1, { aad: 'person.full_name' }),
  })
  fullName!: string | null;
}

class CreatePerson1700000000000 implements MigrationInterface {
  name = 'CreatePerson1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE person (id serial PRIMARY KEY, department_id text NOT NULL, full_name text)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE person');
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({
      entities: [PersonEntity],
      migrations: [CreatePerson1700000000000],
      prefix: 'persistence',
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('creates and migrates a uniquely named database, and drop removes it', async () => {
    expect(db.databaseName).toMatch(/^cit_test_persistence_[0-9a-f]{10}$/);
    expect(await databaseExists(db.databaseName)).toBe(true);
    const migrations = await db.ownerDataSource.query('SELECT name FROM migrations');
    expect(migrations).toEqual([{ name: 'CreatePerson1700000000000' }]);
    expect(await runMigrations(db.ownerDataSource)).toEqual([]);
    // The runtime connection is the non-owner role: no access to the migrations table at all.
    await expect(db.dataSource.query('SELECT name FROM migrations')).rejects.toThrow(/permission denied/);
    const [{ role }] = await db.dataSource.query('SELECT current_user AS role');
    expect(role).toBe(db.runtimeRole);
    const [{ application_name }] = await db.dataSource.query('SELECT current_setting($1) AS application_name', [
      'application_name',
    ]);
    expect(application_name).toBe('test-persistence');

    const other = await createTestDatabase({ entities: [], migrations: [], prefix: 'dropme' });
    expect(await databaseExists(other.databaseName)).toBe(true);
    await other.drop();
    expect(await databaseExists(other.databaseName)).toBe(false);
  });

  it('ensureDatabase is idempotent and survives a race', async () => {
    const name = `cit_test_race_${randomBytes(4).toString('hex')}`;
    try {
      const results = await Promise.all([1, 2, 3].map(() => ensureDatabase(baseUrl, name)));
      expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
      expect(await databaseExists(name)).toBe(true);
      expect(await ensureDatabase(baseUrl, name)).toBe(false);
    } finally {
      await dropDatabase(baseUrl, name);
    }
  });

  it('encryptedTransformer stores ciphertext, never plaintext', async () => {
    const repo = db.dataSource.getRepository(PersonEntity);
    const saved = await repo.save(repo.create({ departmentId: 'd1', fullName: 'Jane Q Public' }));
    const [raw] = await db.dataSource.query('SELECT full_name FROM person WHERE id = $1', [saved.id]);
    expect(raw.full_name.startsWith('enc:v1:k1:')).toBe(true);
    expect(raw.full_name).not.toContain('Jane');
    expect((await repo.findOneByOrFail({ id: saved.id })).fullName).toBe('Jane Q Public');

    const empty = await repo.save(repo.create({ departmentId: 'd1', fullName: null }));
    expect(
      (await db.dataSource.query('SELECT full_name FROM person WHERE id = $1', [empty.id]))[0].full_name,
    ).toBeNull();
  });

  it('rewrapColumn re-wraps old-key rows in batches and leaves data readable', async () => {
    // TRUNCATE is the owner's (the runtime role has DML only).
    await db.ownerDataSource.query('TRUNCATE person');
    const names = Array.from({ length: 23 }, (_, i) => `Person ${i}`);
    for (const name of names) {
      await db.dataSource.query('INSERT INTO person (department_id, full_name) VALUES ($1, $2)', [
        'd1',
        cipherK1.encrypt(name, 'person.full_name'),
      ]);
    }
    await db.dataSource.query('INSERT INTO person (department_id, full_name) VALUES ($1, NULL)', ['d1']);
    await db.dataSource.query('INSERT INTO person (department_id, full_name) VALUES ($1, $2)', [
      'd1',
      cipherK2.encrypt('Already new', 'person.full_name'),
    ]);
    const before: Array<{ id: number; full_name: string }> = await db.dataSource.query(
      'SELECT id, full_name FROM person WHERE full_name IS NOT NULL ORDER BY id',
    );

    const result = await rewrapColumn(db.dataSource, {
      cipher: cipherK2,
      table: 'person',
      column: 'full_name',
      idColumn: 'id',
      batchSize: 5,
    });
    expect(result).toEqual({ rewrapped: 23, batches: 5 });

    const after: Array<{ id: number; full_name: string }> = await db.dataSource.query(
      'SELECT id, full_name FROM person WHERE full_name IS NOT NULL ORDER BY id',
    );
    expect(after.every((r) => r.full_name.startsWith('enc:v1:k2:'))).toBe(true);
    after.forEach((row, i) => {
      // Only the wrapped data key changed; the data ciphertext is the same bytes.
      expect(row.full_name.split(':').slice(4)).toEqual(before[i]!.full_name.split(':').slice(4));
    });
    expect(after.slice(0, 23).map((r) => cipherK2.decrypt(r.full_name, 'person.full_name'))).toEqual(names);
    expect(await rewrapColumn(db.dataSource, { cipher: cipherK2, table: 'person', column: 'full_name' })).toEqual({
      rewrapped: 0,
      batches: 0,
    });
  });

  it('rewrapColumn rejects identifiers it cannot safely quote', async () => {
    await expect(
      rewrapColumn(db.dataSource, { cipher: cipherK2, table: 'person; drop', column: 'full_name' }),
    ).rejects.toThrow(/invalid table/);
  });
});
