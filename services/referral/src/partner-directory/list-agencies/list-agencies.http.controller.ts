import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { DataSource } from 'typeorm';
import { PartnerAgencyEntity } from '../partner-agency.entity';

@ApiTags('partner directory')
@ApiBearerAuth()
@Controller('v1/partner-agencies')
export class ListAgenciesController {
  constructor(private readonly dataSource: DataSource) {}

  /** The caller's department's partner agencies. */
  @Get()
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.dataSource
      .getRepository(PartnerAgencyEntity)
      .find({ where: { departmentId: principal.departmentId }, order: { name: 'ASC' } });
    return { items: rows.map((r) => ({ id: r.id, name: r.name, active: r.active, organization: r.hsds })) };
  }
}
