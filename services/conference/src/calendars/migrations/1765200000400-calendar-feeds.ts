import { disableTenantIsolation, enableSystemScope, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** System scope of the public feed route: finds a feed (and so its department) by its token's hash alone. */
export const CALENDAR_SYSTEM_SCOPES = {
  feedToken: 'conference-feed-token',
} as const;

/**
 * Calendar feed tokens. Only the SHA-256 of a token is stored; the token itself is shown once
 * at creation. A revoked feed keeps its row (who revoked it, when) and stops resolving.
 */
export class CalendarFeeds1765200000400 implements MigrationInterface {
  name = 'CalendarFeeds1765200000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feed (
        department_id text NOT NULL,
        id text NOT NULL,
        token_hash bytea NOT NULL CHECK (octet_length(token_hash) = 32),
        scope text NOT NULL CHECK (scope IN ('series', 'agency')),
        series_id text,
        agency_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        revoked_at timestamptz,
        revoked_by text,
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, series_id) REFERENCES conference_series (department_id, id),
        CHECK ((scope = 'series') = (series_id IS NOT NULL AND agency_id IS NULL)),
        CHECK ((scope = 'agency') = (agency_id IS NOT NULL AND series_id IS NULL))
      )`);
    // The public route's only lookup: one index probe on the hash, across departments.
    await q.query(`CREATE UNIQUE INDEX calendar_feed_token ON calendar_feed (token_hash)`);
    await q.query(
      `CREATE INDEX calendar_feed_listing ON calendar_feed (department_id, created_at) WHERE revoked_at IS NULL`,
    );
    await enableTenantIsolation(q, 'calendar_feed');
    await enableSystemScope(q, 'calendar_feed', [CALENDAR_SYSTEM_SCOPES.feedToken]);
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantIsolation(q, 'calendar_feed');
    await q.query(`DROP TABLE calendar_feed`);
  }
}
