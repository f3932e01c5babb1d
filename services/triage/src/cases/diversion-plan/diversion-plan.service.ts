import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { problemType } from '@cit/contracts';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { actorId } from '../case-events';
import { caseAad } from '../case-phi';
import { caseClosedConflict } from '../case-problems';
import { CaseSettingsReader } from '../case-settings';
import { isClosed } from '../case-status.machine';
import { lockCase, selectCases } from '../case.record';
import type { WriteDiversionPlanRequest } from './diversion-plan.request';

const noProgram = () =>
  new ProblemException(
    problemType('diversion-program-not-running'),
    HttpStatus.CONFLICT,
    'No diversion program',
    'diversionProgram: the department runs no jail-diversion program (program settings)',
  );

interface PlanRow {
  version: number;
  treatment_goals_ciphertext: string;
  charge_recommendation_ciphertext: string;
  written_at: Date;
  written_by: string;
}

/** Diversion plans of cases (versioned, encrypted); the controller limits them to officers and supervisors. */
@Injectable()
export class DiversionPlanService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly settings: CaseSettingsReader,
  ) {}

  async read(caseId: string, principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const [c] = await selectCases(em, 'department_id = $1 AND id = $2', [departmentId, caseId]);
      if (!c) throw new NotFoundException('case not found');
      const plan = await this.current(em, departmentId, caseId);
      if (!plan) throw new NotFoundException('the case has no diversion plan');
      return this.view(departmentId, caseId, c.personId, plan);
    });
  }

  async write(caseId: string, req: WriteDiversionPlanRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const c = await lockCase(em, departmentId, caseId);
      if (!(await this.settings.get(em, departmentId)).diversionProgram) throw noProgram();
      if (isClosed(c.status)) throw caseClosedConflict(c.status);
      const current = await this.current(em, departmentId, caseId);
      const currentVersion = current?.version ?? 0;
      if (req.expectedVersion !== undefined && req.expectedVersion !== currentVersion)
        throw new ProblemException(
          ProblemType.conflict,
          HttpStatus.CONFLICT,
          'Conflict',
          `expectedVersion: the plan is at version ${currentVersion}`,
        );
      const version = currentVersion + 1;
      const [row]: PlanRow[] = await em.query(
        `INSERT INTO diversion_plan (department_id, case_id, version, treatment_goals_ciphertext, charge_recommendation_ciphertext, written_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING version, treatment_goals_ciphertext, charge_recommendation_ciphertext, written_at, written_by`,
        [
          departmentId,
          caseId,
          version,
          this.cipher.encrypt(
            JSON.stringify(req.treatmentGoals),
            caseAad.diversionGoals(departmentId, caseId, version),
          ),
          this.cipher.encrypt(
            JSON.stringify(req.chargeRecommendation),
            caseAad.diversionRecommendation(departmentId, caseId, version),
          ),
          actorId(principal.subject),
        ],
      );
      return this.view(departmentId, caseId, c.personId, row!);
    });
  }

  private async current(em: EntityManager, departmentId: string, caseId: string): Promise<PlanRow | undefined> {
    const [row]: PlanRow[] = await em.query(
      `SELECT version, treatment_goals_ciphertext, charge_recommendation_ciphertext, written_at, written_by
         FROM diversion_plan WHERE department_id = $1 AND case_id = $2 ORDER BY version DESC LIMIT 1`,
      [departmentId, caseId],
    );
    return row;
  }

  private view(departmentId: string, caseId: string, personId: string, row: PlanRow) {
    return {
      caseId,
      personId,
      version: row.version,
      treatmentGoals: JSON.parse(
        this.cipher.decrypt(row.treatment_goals_ciphertext, caseAad.diversionGoals(departmentId, caseId, row.version)),
      ) as string[],
      chargeRecommendation: JSON.parse(
        this.cipher.decrypt(
          row.charge_recommendation_ciphertext,
          caseAad.diversionRecommendation(departmentId, caseId, row.version),
        ),
      ) as { action: string; rationale: string },
      writtenAt: row.written_at.toISOString(),
      writtenBy: row.written_by,
    };
  }
}
