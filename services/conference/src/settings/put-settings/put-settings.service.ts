import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { createLogger, currentContext } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { SessionHorizonService } from '../../series/horizon/session-horizon.service';
import { ConferenceSettingsStore } from '../conference-settings.store';
import { SETTINGS_VERSION_PROBLEM } from '../settings.problems';
import { settingsView } from '../settings.view';
import type { PutSettingsRequest } from './put-settings.request';

@Injectable()
export class PutSettingsService {
  private readonly logger = createLogger('conference-settings');

  constructor(
    private readonly dataSource: DataSource,
    private readonly horizon: SessionHorizonService,
  ) {}

  /** Saves the settings; a longer horizon generates the sessions it now covers in the same transaction. */
  async put(body: PutSettingsRequest, principal: Principal) {
    const { expectedVersion, ...settings } = body;
    const departmentId = principal.departmentId;
    const saved = await tenantTransaction(this.dataSource, departmentId, async (em) => {
      const current = await ConferenceSettingsStore.load(em, departmentId, true);
      const currentVersion = current?.version ?? 0;
      if (expectedVersion !== currentVersion) {
        throw new ProblemException(
          SETTINGS_VERSION_PROBLEM,
          HttpStatus.CONFLICT,
          'Conference settings changed',
          `The settings are at version ${currentVersion}, not ${expectedVersion}; reload and apply the change again.`,
        );
      }
      await ConferenceSettingsStore.save(em, departmentId, settings, principal.subject);
      if (current && settings.horizonWeeks > current.horizonWeeks) {
        await this.horizon.extendDepartment(em, {
          departmentId,
          correlationId: currentContext()?.correlationId ?? `settings:${departmentId}`,
        });
      }
      return (await ConferenceSettingsStore.load(em, departmentId))!;
    });
    this.logger.info({ departmentId, version: saved.version }, 'conference settings saved');
    return settingsView(departmentId, saved);
  }
}
