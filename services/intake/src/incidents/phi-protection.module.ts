import { Module } from '@nestjs/common';
import { IncidentPhiProtection } from './phi-protection.service';

/** The one PHI protection for new incidents, shared by single reports and the bulk import. */
@Module({ providers: [IncidentPhiProtection], exports: [IncidentPhiProtection] })
export class PhiProtectionModule {}
