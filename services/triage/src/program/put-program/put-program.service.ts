import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { problemType } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { ProgramSettingsService } from '../program-settings.service';
import { programView } from '../program.view';
import type { PutProgramRequest } from './put-program.request';

/** Stable problem type of settings saved over someone else's newer edit. */
export const PROGRAM_VERSION_PROBLEM = problemType('program-settings-version-conflict');

@Injectable()
export class PutProgramService {
  private readonly logger = createLogger('program');

  constructor(
    private readonly dataSource: DataSource,
    private readonly program: ProgramSettingsService,
  ) {}

  async put(body: PutProgramRequest, principal: Principal) {
    const { expectedVersion, ...settings } = body;
    const departmentId = principal.departmentId;
    const saved = await tenantTransaction(this.dataSource, departmentId, async (em) => {
      const [current] = (await em.query(`SELECT version FROM program_settings WHERE department_id = $1 FOR UPDATE`, [
        departmentId,
      ])) as { version: number }[];
      const currentVersion = current?.version ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
        throw new ProblemException(
          PROGRAM_VERSION_PROBLEM,
          HttpStatus.CONFLICT,
          'Program settings changed',
          `The settings are at version ${currentVersion}, not ${expectedVersion}; reload and apply the change again.`,
        );
      }
      await em.query(
        `INSERT INTO program_settings (department_id, settings, version, updated_by, updated_at)
         VALUES ($1, $2, 1, $3, now())
         ON CONFLICT (department_id) DO UPDATE SET settings = EXCLUDED.settings,
           version = program_settings.version + 1, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
        [departmentId, JSON.stringify(settings), principal.subject],
      );
      return this.program.get(em, departmentId);
    });
    this.logger.info({ departmentId, version: saved.version }, 'program settings saved');
    return programView(departmentId, saved);
  }
}
