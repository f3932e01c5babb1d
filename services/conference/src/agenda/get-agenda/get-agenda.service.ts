import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import type { CaseView } from '../../privacy/case-view';
import { loadCaseViews } from '../../privacy/case-views.store';
import { loadSessionFor, viewerOf } from '../session-access';

/** One case on a session's agenda as the viewer may see it. */
export interface AgendaItemView {
  position: number;
  nominationId: string;
  kind: 'new' | 'status-update';
  status: 'scheduled' | 'discussed' | 'carried-over' | 'moved';
  riskLevel: string;
  movedFromSessionId: string | null;
  placedAt: string;
  /** The case at the viewer's level (identity only where a disclosure allows it). */
  case: CaseView | null;
}

export interface AgendaView {
  sessionId: string;
  seriesId: string;
  seriesKind: string;
  startsAt: string;
  endsAt: string;
  sessionStatus: string;
  caseCapacity: number;
  items: AgendaItemView[];
}

/** A session's agenda, each case shown at the level the viewer may see (H2's case views, audited). */
@Injectable()
export class GetAgendaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly trail: AuditTrail,
  ) {}

  async get(sessionId: string, principal: Principal): Promise<AgendaView> {
    const dept = principal.departmentId;
    const context = currentAuditContext();
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const session = await loadSessionFor(em, principal, sessionId);
      const rows: Array<{
        nomination_id: string;
        position: number;
        kind: AgendaItemView['kind'];
        status: AgendaItemView['status'];
        moved_from_session_id: string | null;
        placed_at: Date;
        risk_level: string;
      }> = await em.query(
        `SELECT a.nomination_id, a.position, a.kind, a.status, a.moved_from_session_id, a.placed_at, n.risk_level
           FROM agenda_item a JOIN nomination n ON n.department_id = a.department_id AND n.id = a.nomination_id
          WHERE a.department_id = $1 AND a.session_id = $2
          ORDER BY a.position, a.nomination_id`,
        [dept, sessionId],
      );
      if (!context) throw new Error('GetAgendaService: no audit context (route must be @AuditInService)');
      const views = await loadCaseViews(
        em,
        dept,
        rows.map((r) => r.nomination_id),
        viewerOf(principal),
        { cipher: this.cipher, trail: this.trail, context },
      );
      return {
        sessionId: session.id,
        seriesId: session.seriesId,
        seriesKind: session.seriesKind,
        startsAt: session.startsAt.toISOString(),
        endsAt: session.endsAt.toISOString(),
        sessionStatus: session.status,
        caseCapacity: session.caseCapacity,
        items: rows.map((r) => ({
          position: r.position,
          nominationId: r.nomination_id,
          kind: r.kind,
          status: r.status,
          riskLevel: r.risk_level,
          movedFromSessionId: r.moved_from_session_id,
          placedAt: r.placed_at.toISOString(),
          case: views.get(r.nomination_id) ?? null,
        })),
      };
    });
  }
}
