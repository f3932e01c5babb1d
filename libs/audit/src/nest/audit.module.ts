import { Global, Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { FieldCipher } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit-trail';
import { AuditInterceptor } from './audit.interceptor';
import { AUDIT_SERVICE_NAME } from './audit.tokens';
import { AuditWriteSubscriber } from './audit-write-scope';
import { ListAuditEntriesController } from './list-audit-entries.http.controller';
import { ListAuditEntriesService } from './list-audit-entries.service';

/** Registers the write-scope subscriber on the service's DataSource once. */
class AuditSubscriberRegistration implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuditTrail) private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    if (!this.dataSource.subscribers.some((s) => s instanceof AuditWriteSubscriber)) {
      this.dataSource.subscribers.push(new AuditWriteSubscriber(this.trail));
    }
  }
}

/**
 * The PHI access audit of one service: AuditTrail (inject it to record decryptions outside a
 * request), the interceptor behind @AuditRead / @AuditWrite / @AuditInService and
 * break-glass, and GET /v1/audit for auditors. Needs the chassis (DataSource, FieldCipher,
 * OutboxWriter) and the AuditLogTables migration.
 */
@Global()
@Module({})
export class AuditModule {
  static forService(service: string): DynamicModule {
    return {
      module: AuditModule,
      controllers: [ListAuditEntriesController],
      providers: [
        { provide: AUDIT_SERVICE_NAME, useValue: service },
        { provide: AuditTrail, useFactory: (cipher: FieldCipher) => new AuditTrail({ cipher }), inject: [FieldCipher] },
        ListAuditEntriesService,
        AuditSubscriberRegistration,
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
      exports: [AuditTrail],
    };
  }
}
