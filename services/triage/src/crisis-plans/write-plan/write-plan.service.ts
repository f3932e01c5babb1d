import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { actorId } from '../../cases/case-events';
import { lockPerson } from '../../cases/case.record';
import { crisisPlanAad } from '../crisis-plan.content';
import { CrisisPlanStore } from '../crisis-plan.store';
import type { WriteCrisisPlanRequest } from './write-plan.request';

/** Writes a new version of a person's crisis response plan (encrypted); earlier versions stay for the record. */
@Injectable()
export class WriteCrisisPlanService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly store: CrisisPlanStore,
  ) {}

  async write(personId: string, req: WriteCrisisPlanRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    if (req.reviewDate < new Date().toISOString().slice(0, 10))
      throw new RequestValidationError([{ field: 'reviewDate', detail: 'must be today or later' }]);
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      await lockPerson(em, departmentId, personId);
      const [{ version: currentVersion }]: { version: number }[] = await em.query(
        'SELECT COALESCE(max(version), 0)::int AS version FROM crisis_plan WHERE department_id = $1 AND person_id = $2',
        [departmentId, personId],
      );
      if (req.expectedVersion !== undefined && req.expectedVersion !== currentVersion)
        throw new ProblemException(
          ProblemType.conflict,
          HttpStatus.CONFLICT,
          'Conflict',
          `expectedVersion: the plan is at version ${currentVersion}`,
        );
      const id = newId('cpl');
      const version = currentVersion + 1;
      await em.query(
        `UPDATE crisis_plan SET retired_at = now() WHERE department_id = $1 AND person_id = $2 AND retired_at IS NULL`,
        [departmentId, personId],
      );
      await em.query(
        `INSERT INTO crisis_plan (id, department_id, person_id, version, content_ciphertext, review_date, written_by)
         VALUES ($1, $2, $3, $4, $5, $6::date, $7)`,
        [
          id,
          departmentId,
          personId,
          version,
          this.cipher.encrypt(JSON.stringify(req.content), crisisPlanAad(departmentId, id)),
          req.reviewDate,
          actorId(principal.subject),
        ],
      );
      const row = await this.store.current(em, departmentId, personId);
      return this.store.view(row!, personId);
    });
  }
}
