import { Client } from 'pg';

/** Default base URL for local development and tests when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

// Database names are interpolated into DDL (CREATE/DROP DATABASE cannot take parameters),
// so they are restricted to a safe identifier alphabet rather than escaped.
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless the name is a lowercase PostgreSQL identifier safe to use in DDL. */
export function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`invalid database name "${name}": expected ${DATABASE_NAME.source}`);
  }
}

/** Returns baseUrl with its database (path) replaced by dbName; credentials and query are kept. */
export function databaseUrlFor(baseUrl: string, dbName: string): string {
  assertDatabaseName(dbName);
  const url = new URL(baseUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** Returns the database name a URL points at (PostgreSQL defaults it to the user name). */
export function databaseNameOf(url: string): string {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return name || decodeURIComponent(parsed.username) || 'postgres';
}

/** Service database name: cit_<service> ("intake-service" → cit_intake). */
export function defaultDatabaseName(serviceName: string): string {
  const base = serviceName
    .replace(/-service$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase();
  const name = `cit_${base}`;
  assertDatabaseName(name);
  return name;
}

/**
 * Creates dbName on the server of baseUrl unless it exists. Returns true when this call
 * created it. Safe when several processes race: the loser's duplicate error is swallowed.
 */
export async function ensureDatabase(baseUrl: string, dbName: string): Promise<boolean> {
  assertDatabaseName(dbName);
  const client = new Client({ connectionString: baseUrl, application_name: 'cit-ensure-database' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${dbName}"`);
      return true;
    } catch (err) {
      // 42P04 duplicate_database; 23505 when two CREATEs collide on pg_database's unique index.
      const code = (err as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw err;
    }
  } finally {
    await client.end();
  }
}

/** Drops dbName, disconnecting its sessions first (PostgreSQL 13+ WITH (FORCE)). */
export async function dropDatabase(baseUrl: string, dbName: string): Promise<void> {
  assertDatabaseName(dbName);
  const client = new Client({ connectionString: baseUrl, application_name: 'cit-drop-database' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Returns url with its credentials replaced by user (and password, when given; otherwise none). */
export function databaseUrlAs(url: string, user: string, password?: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = password === undefined ? '' : encodeURIComponent(password);
  return parsed.toString();
}

/** The user name a URL connects as (PostgreSQL's default, the OS user, is not guessed: undefined). */
export function databaseUserOf(url: string): string | undefined {
  const user = decodeURIComponent(new URL(url).username);
  return user || undefined;
}
