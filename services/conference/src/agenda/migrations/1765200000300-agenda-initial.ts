import { enableSystemScope, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The system scope of the agenda sweep (finds departments with an agenda, across tenants). */
export const AGENDA_SWEEP_SCOPE = 'conference-agenda-sweep';

/**
 * Session agendas: one row per case placed on a session (new or status update), and the
 * departments the carry-over sweep visits. Ids and codes only, no PHI.
 */
export class AgendaInitial1765200000300 implements MigrationInterface {
  name = 'AgendaInitial1765200000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agenda_item (
        department_id text NOT NULL,
        session_id text NOT NULL,
        nomination_id text NOT NULL,
        position integer NOT NULL CHECK (position > 0),
        kind text NOT NULL CHECK (kind IN ('new', 'status-update')),
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'discussed', 'carried-over', 'moved')),
        moved_from_session_id text,
        placed_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, session_id, nomination_id)
      )`);
    // A case is on at most one agenda at a time: a second placement is a bug the database refuses.
    await q.query(
      `CREATE UNIQUE INDEX agenda_item_one_scheduled ON agenda_item (department_id, nomination_id) WHERE status = 'scheduled'`,
    );
    await q.query(`CREATE INDEX agenda_item_nomination ON agenda_item (department_id, nomination_id, placed_at)`);
    await enableTenantIsolation(q, 'agenda_item');

    await q.query(`
      CREATE TABLE agenda_department (
        department_id text PRIMARY KEY,
        registered_at timestamptz NOT NULL DEFAULT now(),
        last_swept_at timestamptz
      )`);
    await enableTenantIsolation(q, 'agenda_department');
    await enableSystemScope(q, 'agenda_department', [AGENDA_SWEEP_SCOPE]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS agenda_department');
    await q.query('DROP TABLE IF EXISTS agenda_item');
  }
}
