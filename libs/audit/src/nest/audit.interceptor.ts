import {
  HttpStatus,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { principalOf, type Principal } from '@cit/auth';
import { buildEvent, eventSource, problemType } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { ProblemException, ProblemType } from '@cit/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditContext, AuditEntryInput, AuditRecord } from '../audit-entry';
import { AuditTrail } from '../audit-trail';
import { decideAccessScope } from '../break-glass/access-scope';
import { AUDIT_SPEC, type AuditSpec } from './audit.decorators';
import { auditContextFromRequest, auditRequestOf, breakGlassReasonOf, type AuditHttpRequest } from './audit-request';
import { runInAuditWriteScope, type AuditWriteScope } from './audit-write-scope';
import { AUDIT_SERVICE_NAME } from './audit.tokens';

/** The answer when an access could not be recorded: the data is withheld. */
function auditUnavailable(): ProblemException {
  return new ProblemException(
    ProblemType.unavailable,
    HttpStatus.SERVICE_UNAVAILABLE,
    'Service unavailable',
    'The access could not be recorded; try again.',
  );
}

/** Records PHI access of routes marked @AuditRead, @AuditWrite or @AuditInService; enforces break-glass. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  // Built with the app, after the chassis configured logging (service name, level).
  private readonly logger = createLogger('audit');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditTrail) private readonly trail: AuditTrail,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(AUDIT_SERVICE_NAME) private readonly service: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_SPEC, context.getHandler());
    if (!spec || context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const raw = http.getRequest<FastifyRequest>();
    const principal = principalOf(raw);
    const req = auditRequestOf(raw, http.getResponse<FastifyReply>());
    if (!principal) return next.handle();
    // Bad purpose or reason headers are refused before anything is read or changed.
    const auditContext = auditContextFromRequest(req, principal);
    const reason = spec.breakGlass ? breakGlassReasonOf(req) : undefined;
    switch (spec.mode) {
      case 'write':
        return from(this.write(spec, req, auditContext, next));
      case 'service':
        return from(this.afterResult(spec, req, auditContext, next));
      case 'read':
        return from(this.read(spec, req, principal, auditContext, reason, next));
    }
  }

  private async write(
    spec: AuditSpec,
    req: AuditHttpRequest,
    context: AuditContext,
    next: CallHandler,
  ): Promise<unknown> {
    const scope: AuditWriteScope = { context, entries: spec.entries(undefined, req) };
    // next.handle() binds the handler to the async context it is called in: the scope.
    const result = await lastValueFrom(
      runInAuditWriteScope(scope, () => next.handle()),
      { defaultValue: undefined },
    );
    // A change that committed no transaction (nothing to change) is still recorded.
    if (!scope.writtenBy) await this.appendOrUnavailable(context, scope.entries);
    return result;
  }

  private async afterResult(
    spec: AuditSpec,
    req: AuditHttpRequest,
    context: AuditContext,
    next: CallHandler,
  ): Promise<unknown> {
    // The scope (no entries of its own) gives the service currentAuditContext().
    const scope: AuditWriteScope = { context, entries: [] };
    const result = await lastValueFrom(
      runInAuditWriteScope(scope, () => next.handle()),
      { defaultValue: undefined },
    );
    const entries = spec.entries(result, req);
    if (entries.length > 0) await this.appendOrUnavailable(context, entries);
    return result;
  }

  private async read(
    spec: AuditSpec,
    req: AuditHttpRequest,
    principal: Principal,
    context: AuditContext,
    reason: string | undefined,
    next: CallHandler,
  ): Promise<unknown> {
    const result = await lastValueFrom(
      runInAuditWriteScope({ context, entries: [] }, () => next.handle()),
      { defaultValue: undefined },
    );
    const entries = spec.entries(result, req);
    if (spec.breakGlass) {
      const decision = decideAccessScope(principal, spec.breakGlass.districtOf(result), reason);
      if (decision.access === 'denied') {
        // The refused attempt is recorded too; the refusal stands even if that record fails.
        await this.trail
          .appendNow(
            this.dataSource,
            context,
            entries.map((e) => ({ ...e, fields: [], outcome: 'denied' as const })),
          )
          .catch((err: Error) =>
            this.logger.error(
              { errorClass: err.constructor.name, sqlState: (err as { code?: string }).code },
              'audit: refused break-glass attempt not recorded',
            ),
          );
        throw new ProblemException(
          problemType(decision.problem),
          HttpStatus.FORBIDDEN,
          decision.problem === 'break-glass-required' ? 'Break-glass reason required' : 'Break-glass not permitted',
          decision.problem === 'break-glass-required'
            ? 'This record is outside your assigned districts; state why you open it in the CIT-Break-Glass-Reason header.'
            : 'This record is outside your assigned districts and your role cannot open records by break-glass.',
        );
      }
      if (decision.access === 'break-glass') {
        await this.appendOrUnavailable(
          { ...context, purpose: 'break-glass', breakGlassReason: reason },
          entries,
          (manager, records) => this.notify(manager, context, records),
        );
        return result;
      }
    }
    await this.appendOrUnavailable(context, entries);
    return result;
  }

  /** The break-glass event for supervisor notification, in the transaction of the audit entries; ids only. */
  private async notify(manager: EntityManager, context: AuditContext, records: AuditRecord[]): Promise<void> {
    const events = records.map((r) =>
      buildEvent(
        'cit.audit.break-glass-access.v1',
        r.recordId,
        {
          auditEntryId: r.id,
          service: this.service,
          subject: r.actorSubject,
          roles: r.actorRoles,
          recordType: r.recordType,
          recordId: r.recordId,
          personIds: r.personIds,
          occurredAt: r.occurredAt.toISOString(),
        },
        {
          source: eventSource(this.service),
          departmentId: context.departmentId,
          correlationId: context.correlationId ?? r.id,
        },
      ),
    );
    await this.outbox.appendMany(manager, events);
  }

  private async appendOrUnavailable(
    context: AuditContext,
    entries: AuditEntryInput[],
    also?: (manager: EntityManager, records: AuditRecord[]) => Promise<void>,
  ): Promise<void> {
    try {
      await this.trail.appendNow(this.dataSource, context, entries, also);
    } catch (err) {
      this.logger.error(
        { errorClass: (err as Error).constructor?.name, sqlState: (err as { code?: string }).code },
        'audit: access not recorded; answer withheld',
      );
      throw auditUnavailable();
    }
  }
}
