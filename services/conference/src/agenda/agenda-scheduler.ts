import { Injectable } from '@nestjs/common';
import { buildEvent, type CloudEvent, type RiskLevel } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import type { EntityManager } from 'typeorm';
import { identityLevelOf, slotCases, type SlotCandidate, type SlotSession } from './domain/slotting';

/** What a scheduling call runs under: the department and the event chain it belongs to. */
export interface SchedulingContext {
  departmentId: string;
  correlationId: string;
  causationId?: string;
}

/** What one placement run did. */
export interface PlacementSummary {
  placed: number;
  /** Open cases no upcoming session had room for (carried over to a later run). */
  unplaced: number;
}

/** What one carry-over sweep of a department did. */
export interface SweepSummary extends PlacementSummary {
  carriedOver: number;
  moved: number;
}

interface SessionRow {
  id: string;
  starts_at: Date;
  cutoff_at: Date;
  case_capacity: number;
  kind: string;
  placed: number;
  max_position: number;
}

interface ItemKey {
  session_id: string;
  nomination_id: string;
}

interface CandidateRow {
  id: string;
  risk_level: RiskLevel;
  waiting_since: Date;
  series_kind: string | null;
  privacy_stage: string;
  triage_case_id: string | null;
  last_status: string | null;
  last_session_id: string | null;
  last_starts_at: Date | null;
  discussed: boolean;
}

/**
 * Takes the department's agenda lock for the rest of the transaction: two placements (a
 * nomination opening while sessions are generated, two app instances) would otherwise both
 * count the same free places and overfill a session.
 */
export async function lockDepartmentAgenda(em: EntityManager, departmentId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('cit.conference.agenda'), hashtext($1))`, [departmentId]);
}

/**
 * Places open nominations on session agendas (capacity, cutoff, highest risk first) and moves
 * the cases of a withdrawn session. Every method runs in the caller's transaction.
 */
@Injectable()
export class AgendaScheduler {
  constructor(private readonly outbox: OutboxWriter) {}

  /** Places every open nomination of the department that has no upcoming agenda item yet. */
  async placeOpenNominations(em: EntityManager, ctx: SchedulingContext): Promise<PlacementSummary> {
    await lockDepartmentAgenda(em, ctx.departmentId);
    return this.place(em, ctx);
  }

  /** A session was cancelled: its cases move to the next sessions with room. */
  async sessionWithdrawn(em: EntityManager, ctx: SchedulingContext, sessionId: string): Promise<PlacementSummary> {
    await lockDepartmentAgenda(em, ctx.departmentId);
    await em.query(
      `UPDATE agenda_item SET status = 'moved', updated_at = now()
        WHERE department_id = $1 AND session_id = $2 AND status = 'scheduled'`,
      [ctx.departmentId, sessionId],
    );
    return this.place(em, ctx);
  }

  /**
   * The periodic pass over one department: cases still scheduled on a cancelled session are
   * moved, cases of sessions that ended more than `graceMs` ago without an outcome are carried
   * over (or marked discussed when the nomination was closed meanwhile), then every open case
   * without a place is placed. At most `maxItems` items are touched per pass.
   */
  async sweepDepartment(
    em: EntityManager,
    ctx: SchedulingContext,
    options: { now: Date; graceMs: number; maxItems: number },
  ): Promise<SweepSummary> {
    await lockDepartmentAgenda(em, ctx.departmentId);
    // Keys first (bounded), then updates by key: plans stay index lookups whatever the statistics.
    const onCancelled: ItemKey[] = await em.query(
      `SELECT i.session_id, i.nomination_id
         FROM agenda_item i JOIN conference_session s ON s.department_id = i.department_id AND s.id = i.session_id
        WHERE i.department_id = $1 AND i.status = 'scheduled' AND s.status = 'cancelled'
        LIMIT $2`,
      [ctx.departmentId, options.maxItems],
    );
    await this.setStatus(em, ctx.departmentId, onCancelled, () => 'moved');
    const passed: Array<ItemKey & { open: boolean }> = await em.query(
      `SELECT i.session_id, i.nomination_id, n.status = 'open' AS open
         FROM agenda_item i
         JOIN conference_session s ON s.department_id = i.department_id AND s.id = i.session_id
         JOIN nomination n ON n.department_id = i.department_id AND n.id = i.nomination_id
        WHERE i.department_id = $1 AND i.status = 'scheduled' AND s.status = 'scheduled'
          AND s.ends_at < $2::timestamptz - make_interval(secs => $3::double precision / 1000)
        LIMIT $4`,
      [ctx.departmentId, options.now, options.graceMs, Math.max(0, options.maxItems - onCancelled.length)],
    );
    // A case closed meanwhile (e.g. found not at acutely elevated risk) was dealt with at its session.
    await this.setStatus(em, ctx.departmentId, passed, (p) => (p.open ? 'carried-over' : 'discussed'));
    const placed = await this.place(em, ctx, options.now);
    await em.query(`UPDATE agenda_department SET last_swept_at = $2 WHERE department_id = $1`, [
      ctx.departmentId,
      options.now,
    ]);
    return {
      ...placed,
      moved: onCancelled.length,
      carriedOver: passed.filter((p) => p.open).length,
    };
  }

  private async place(em: EntityManager, ctx: SchedulingContext, now = new Date()): Promise<PlacementSummary> {
    const dept = ctx.departmentId;
    // The sweep visits every department that ever had an agenda.
    await em.query(`INSERT INTO agenda_department (department_id) VALUES ($1) ON CONFLICT DO NOTHING`, [dept]);
    // Upcoming sessions that take cases, with what their agendas already hold. A case withdrawn
    // or closed before its session no longer holds its place (its position is not reused).
    const sessions: SessionRow[] = await em.query(
      `WITH upcoming AS (
         SELECT s.id, s.starts_at, s.cutoff_at, s.case_capacity, r.kind
           FROM conference_session s
           JOIN conference_series r ON r.department_id = s.department_id AND r.id = s.series_id AND r.status = 'active'
          WHERE s.department_id = $1 AND s.status = 'scheduled' AND s.case_capacity > 0 AND s.cutoff_at > $2),
       held AS (
         SELECT a.session_id,
                count(*) FILTER (WHERE a.status = 'discussed' OR (a.status = 'scheduled' AND n.status = 'open')) AS placed,
                max(a.position) AS max_position
           FROM agenda_item a
           JOIN nomination n ON n.department_id = a.department_id AND n.id = a.nomination_id
          WHERE a.department_id = $1 AND a.session_id IN (SELECT id FROM upcoming)
          GROUP BY a.session_id)
       SELECT u.id, u.starts_at, u.cutoff_at, u.case_capacity, u.kind,
              COALESCE(h.placed, 0)::int AS placed, COALESCE(h.max_position, 0)::int AS max_position
         FROM upcoming u LEFT JOIN held h ON h.session_id = u.id
        ORDER BY u.starts_at, u.id`,
      [dept, now],
    );
    if (sessions.length === 0) return { placed: 0, unplaced: await this.countUnplaced(em, dept) };
    for (const session of sessions)
      if (session.placed > session.case_capacity) session.placed -= await this.giveBackOverflow(em, dept, session);
    // Open cases with no scheduled item; the latest earlier item tells whether the case was
    // moved or carried over (it keeps its priority) and whether it comes back as a status update.
    // One pass over the open cases' items (hash joins, window per case) rather than a lookup per
    // case: the plan stays linear even when statistics lag behind a bulk placement.
    const candidates: CandidateRow[] = await em.query(
      `WITH history AS (
         SELECT DISTINCT ON (i.nomination_id) i.nomination_id, i.status AS last_status, i.session_id AS last_session_id,
                s.starts_at AS last_starts_at,
                bool_or(i.status = 'scheduled') OVER (PARTITION BY i.nomination_id) AS scheduled,
                bool_or(i.status = 'discussed') OVER (PARTITION BY i.nomination_id) AS discussed
           FROM agenda_item i
           JOIN nomination o ON o.department_id = i.department_id AND o.id = i.nomination_id AND o.status = 'open'
           JOIN conference_session s ON s.department_id = i.department_id AND s.id = i.session_id
          WHERE i.department_id = $1
          ORDER BY i.nomination_id, s.starts_at DESC, i.placed_at DESC)
       SELECT n.id, n.risk_level, COALESCE(n.verified_at, n.created_at) AS waiting_since, n.series_kind,
              n.privacy_stage, n.triage_case_id, h.last_status, h.last_session_id, h.last_starts_at,
              COALESCE(h.discussed, false) AS discussed
         FROM nomination n LEFT JOIN history h ON h.nomination_id = n.id
        WHERE n.department_id = $1 AND n.status = 'open' AND NOT COALESCE(h.scheduled, false)`,
      [dept],
    );
    if (candidates.length === 0) return { placed: 0, unplaced: 0 };
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const result = slotCases(
      sessions.map(
        (s): SlotSession => ({
          id: s.id,
          startsAt: s.starts_at.getTime(),
          cutoffAt: s.cutoff_at.getTime(),
          capacity: s.case_capacity,
          placed: s.placed,
          nextPosition: s.max_position + 1,
          cancelled: false,
          seriesKind: s.kind,
        }),
      ),
      candidates.map((c): SlotCandidate => {
        const displaced = c.last_status === 'moved' || c.last_status === 'carried-over';
        return {
          nominationId: c.id,
          riskLevel: c.risk_level,
          waitingSince: c.waiting_since.getTime(),
          kind: c.discussed ? 'status-update' : 'new',
          preferredKind: c.series_kind,
          displaced,
          // Back on an agenda only after the session it was last on (moved, carried over or discussed).
          ...(c.last_starts_at ? { after: c.last_starts_at.getTime() } : {}),
        };
      }),
      now.getTime(),
    );
    if (result.placements.length === 0) return { placed: 0, unplaced: result.unplaced.length };

    const p = result.placements;
    await em.query(
      `INSERT INTO agenda_item (department_id, session_id, nomination_id, position, kind, moved_from_session_id)
       SELECT $1, session_id, nomination_id, position, kind, moved_from
         FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
              AS p(session_id, nomination_id, position, kind, moved_from)`,
      [
        dept,
        p.map((x) => x.sessionId),
        p.map((x) => x.nominationId),
        p.map((x) => x.position),
        p.map((x) => x.kind),
        p.map((x) => movedFrom(byId.get(x.nominationId)!)),
      ],
    );
    const events: CloudEvent[] = p.map((x) => {
      const c = byId.get(x.nominationId)!;
      const from = movedFrom(c);
      return buildEvent(
        'cit.conference.case-scheduled.v1',
        x.sessionId,
        {
          sessionId: x.sessionId,
          nominationId: c.id,
          caseId: c.triage_case_id ?? c.id,
          position: x.position,
          riskLevel: c.risk_level,
          identityLevel: identityLevelOf(c.privacy_stage),
          kind: x.kind,
          ...(from ? { movedFromSessionId: from } : {}),
        },
        ctx,
      );
    });
    await this.outbox.appendMany(em, events);
    return { placed: p.length, unplaced: result.unplaced.length };
  }

  private async setStatus<K extends ItemKey>(
    em: EntityManager,
    dept: string,
    keys: readonly K[],
    status: (key: K) => 'moved' | 'carried-over' | 'discussed',
  ): Promise<void> {
    if (keys.length === 0) return;
    await em.query(
      `UPDATE agenda_item a SET status = k.status, updated_at = now()
         FROM unnest($2::text[], $3::text[], $4::text[]) AS k(session_id, nomination_id, status)
        WHERE a.department_id = $1 AND a.session_id = k.session_id AND a.nomination_id = k.nomination_id`,
      [dept, keys.map((k) => k.session_id), keys.map((k) => k.nomination_id), keys.map(status)],
    );
  }

  /**
   * A session whose capacity was lowered below what its agenda holds gives back its
   * lowest-priority cases while nominations are still open for it (the caller only passes such
   * sessions); they move on like the cases of a cancelled session. Returns how many moved.
   */
  private async giveBackOverflow(em: EntityManager, dept: string, session: SessionRow): Promise<number> {
    const rows: Array<{ nomination_id: string }> = await em.query(
      `SELECT i.nomination_id
         FROM agenda_item i
         JOIN nomination n ON n.department_id = i.department_id AND n.id = i.nomination_id AND n.status = 'open'
        WHERE i.department_id = $1 AND i.session_id = $2 AND i.status = 'scheduled'
        ORDER BY array_position(ARRAY['imminent', 'urgent', 'routine', 'none'], n.risk_level) DESC, i.position DESC
        LIMIT $3`,
      [dept, session.id, session.placed - session.case_capacity],
    );
    if (rows.length === 0) return 0;
    await em.query(
      `UPDATE agenda_item SET status = 'moved', updated_at = now()
        WHERE department_id = $1 AND session_id = $2 AND nomination_id = ANY($3::text[])`,
      [dept, session.id, rows.map((r) => r.nomination_id)],
    );
    return rows.length;
  }

  private async countUnplaced(em: EntityManager, dept: string): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await em.query(
      `SELECT count(*)::int AS n FROM nomination m WHERE m.department_id = $1 AND m.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM agenda_item s WHERE s.department_id = m.department_id
                             AND s.nomination_id = m.id AND s.status = 'scheduled')`,
      [dept],
    );
    return n;
  }
}

/** The cancelled session a case is moving from (carried-over cases are not "moved": their session took place). */
function movedFrom(c: CandidateRow): string | null {
  return c.last_status === 'moved' ? c.last_session_id : null;
}
