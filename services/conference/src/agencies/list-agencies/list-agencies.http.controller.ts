import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ConferenceSettingsStore } from '../../settings/conference-settings.store';
import { AgencyStore } from '../agency.store';

@Injectable()
export class ListAgenciesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Known agencies; "today" is the department's date (UTC until its settings name a zone). */
  async list(principal: Principal) {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const settings = await ConferenceSettingsStore.load(em, dept);
      const today = DateTime.now()
        .setZone(settings?.timeZone ?? 'UTC')
        .toISODate()!;
      return { items: await AgencyStore.list(em, dept, today), asOf: today };
    });
  }
}

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('v1/agencies')
export class ListAgenciesController {
  constructor(private readonly agencies: ListAgenciesService) {}

  /** Member agencies known from referral's MOUs, and whether each may receive identity today. */
  @Get()
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @ApiResponse({ status: 200, description: '{ items: [{ agencyId, mayReceiveIdentity, mous }], asOf }' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.agencies.list(principal);
  }
}
