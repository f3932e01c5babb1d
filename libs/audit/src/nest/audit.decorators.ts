import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { AuditEntryInput } from '../audit-entry';
import {
  type AuditHttpRequest,
  BREAK_GLASS_REASON_HEADER,
  PURPOSE_OF_USE_HEADER,
  REQUESTABLE_PURPOSES,
} from './audit-request';

/** Metadata key of the audit decorators. */
export const AUDIT_SPEC = 'cit:audit:spec';

/** How a route's PHI access is recorded (read by AuditInterceptor). */
export interface AuditSpec {
  /**
   * read: entries from the answer, appended in their own transaction before the answer leaves
   * (503 instead of the data when that fails). write: entries from the request, appended in the
   * transaction of the change itself. service: the service
   * appends its own entries in its transaction (currentAuditContext()); `entries` of the answer,
   * if any, are appended after it.
   */
  mode: 'read' | 'write' | 'service';
  entries: (result: unknown, req: AuditHttpRequest) => AuditEntryInput[];
  /** Records outside the caller's assigned districts need break-glass (reads only). */
  breakGlass?: { districtOf: (result: unknown) => string | null | undefined };
}

const purposeHeader = ApiHeader({
  name: PURPOSE_OF_USE_HEADER,
  required: false,
  enum: REQUESTABLE_PURPOSES,
  description:
    'Purpose of use recorded in the PHI access audit (default by role: clinician treatment, coordinator care-coordination, others operations)',
});
const unavailable = ApiResponse({
  status: 503,
  description: 'The access could not be recorded in the audit log; nothing was answered',
});

/** A route that reads PHI: `entries` names what the answer disclosed. */
export function AuditRead<R>(
  entries: (result: R, req: AuditHttpRequest) => AuditEntryInput[],
  options: { breakGlass?: { districtOf: (result: R) => string | null | undefined } } = {},
): MethodDecorator {
  const spec: AuditSpec = {
    mode: 'read',
    entries: entries as AuditSpec['entries'],
    breakGlass: options.breakGlass as AuditSpec['breakGlass'],
  };
  const decorators = [SetMetadata(AUDIT_SPEC, spec), purposeHeader, unavailable];
  if (options.breakGlass) {
    decorators.push(
      ApiHeader({
        name: BREAK_GLASS_REASON_HEADER,
        required: false,
        description:
          'Why a record outside the caller’s assigned districts is opened (clinician or supervisor only). Recorded encrypted with purpose break-glass; supervisors are notified (cit.audit.break-glass-access.v1)',
      }),
      ApiResponse({
        status: 403,
        description:
          'Outside the caller’s districts: problem+json break-glass-required (state a reason) or break-glass-not-permitted (role cannot break glass)',
      }),
    );
  }
  return applyDecorators(...decorators);
}

/** A route that changes PHI: `entries` (from the request) commit in the same transaction as the change. */
export function AuditWrite(entries: (req: AuditHttpRequest) => AuditEntryInput[]): MethodDecorator {
  const spec: AuditSpec = { mode: 'write', entries: (_result, req) => entries(req) };
  return applyDecorators(SetMetadata(AUDIT_SPEC, spec), purposeHeader, unavailable);
}

/**
 * A change whose records are created inside the service's transaction: the service appends
 * their entries there with AuditTrail.append(manager, currentAuditContext(), entries).
 * `after` names what the answer disclosed beyond that (e.g. an idempotent replay, a read).
 */
export function AuditInService<R>(after?: (result: R, req: AuditHttpRequest) => AuditEntryInput[]): MethodDecorator {
  const spec: AuditSpec = { mode: 'service', entries: (after ?? (() => [])) as AuditSpec['entries'] };
  return applyDecorators(SetMetadata(AUDIT_SPEC, spec), purposeHeader, unavailable);
}
