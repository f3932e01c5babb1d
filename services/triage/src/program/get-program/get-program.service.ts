import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ProgramSettingsService } from '../program-settings.service';
import { programView } from '../program.view';

@Injectable()
export class GetProgramService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly program: ProgramSettingsService,
  ) {}

  async get(principal: Principal) {
    const p = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      this.program.get(em, principal.departmentId),
    );
    return programView(principal.departmentId, p);
  }
}
