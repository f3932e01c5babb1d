import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { DECISION_COLUMNS, decisionFromRow, decisionView } from '../decision.record';

@Injectable()
export class GetDecisionService {
  constructor(private readonly dataSource: DataSource) {}

  async get(principal: Principal, id: string) {
    const [row] = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(`SELECT ${DECISION_COLUMNS} FROM triage_decision WHERE department_id = $1 AND id = $2`, [
        principal.departmentId,
        id,
      ]),
    );
    if (!row) throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No decision has this id.');
    return decisionView(decisionFromRow(row));
  }

  /** Every decision made for the incident, oldest first: the current one last, each superseded one linked to the next. */
  async forIncident(principal: Principal, incidentId: string) {
    const rows = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `SELECT ${DECISION_COLUMNS} FROM triage_decision WHERE department_id = $1 AND incident_id = $2
          ORDER BY decided_at, id LIMIT 200`,
        [principal.departmentId, incidentId],
      ),
    );
    if (rows.length === 0)
      throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No decision was made for this incident.');
    return { incidentId, items: rows.map((r: unknown) => decisionView(decisionFromRow(r))) };
  }
}
