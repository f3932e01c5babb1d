import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { ConferenceSettingsStore } from '../conference-settings.store';
import { SETTINGS_MISSING_PROBLEM } from '../settings.problems';
import { settingsView } from '../settings.view';

@Injectable()
export class GetSettingsService {
  constructor(private readonly dataSource: DataSource) {}

  async get(principal: Principal) {
    const dept = principal.departmentId;
    const s = await tenantTransaction(this.dataSource, dept, (em) => ConferenceSettingsStore.load(em, dept));
    if (!s) {
      throw new ProblemException(
        SETTINGS_MISSING_PROBLEM,
        HttpStatus.NOT_FOUND,
        'Conference settings missing',
        'No conference settings have been saved for this department yet (PUT /v1/settings with expectedVersion 0).',
      );
    }
    return settingsView(dept, s);
  }
}
