import type { Principal } from '@cit/auth';
import { purposeOfUseSchema, type PurposeOfUse } from '@cit/contracts';
import { currentContext } from '@cit/observability';
import { RequestValidationError } from '@cit/service-kit';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit-entry';

/** Header naming the purpose of use of a PHI request. */
export const PURPOSE_OF_USE_HEADER = 'CIT-Purpose-Of-Use';
/** Header stating why a record outside the caller's normal scope is opened (break-glass). */
export const BREAK_GLASS_REASON_HEADER = 'CIT-Break-Glass-Reason';
/** Longest break-glass reason accepted. */
export const BREAK_GLASS_REASON_MAX = 1000;

/** Purposes a caller may name in the header; break-glass comes only with a stated reason. */
export const REQUESTABLE_PURPOSES = purposeOfUseSchema.options.filter((p) => p !== 'break-glass');

/**
 * The purpose of use when the header is absent: clinicians treat, coordinators coordinate
 * care, everyone else (officers, supervisors, admins, partners) acts for operations.
 */
export function defaultPurposeOfUse(roles: readonly string[]): PurposeOfUse {
  if (roles.includes('clinician')) return 'treatment';
  if (roles.includes('coordinator')) return 'care-coordination';
  return 'operations';
}

/** The purpose of use named by the header (400 naming the header when it is not one of REQUESTABLE_PURPOSES). */
export function purposeOfUseFrom(header: string | undefined, roles: readonly string[]): PurposeOfUse {
  if (header === undefined || header === '') return defaultPurposeOfUse(roles);
  const value = header.trim().toLowerCase();
  if (!(REQUESTABLE_PURPOSES as string[]).includes(value)) {
    throw new RequestValidationError([
      {
        field: PURPOSE_OF_USE_HEADER,
        detail: `must be one of ${REQUESTABLE_PURPOSES.join(', ')} (break-glass is stated with ${BREAK_GLASS_REASON_HEADER})`,
      },
    ]);
  }
  return value as PurposeOfUse;
}

/** The stated break-glass reason, or undefined; 400 when it is too long or has control characters. */
export function breakGlassReasonFrom(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const reason = header.trim();
  if (reason === '') return undefined;
  // The value is never echoed: it is free text that may name a person.
  if (reason.length > BREAK_GLASS_REASON_MAX || /[\u0000-\u001f\u007f]/.test(reason)) {
    throw new RequestValidationError([
      { field: BREAK_GLASS_REASON_HEADER, detail: `must be 1-${BREAK_GLASS_REASON_MAX} characters of text` },
    ]);
  }
  return reason;
}

/** What the audit reads of an HTTP request, whatever server framework carries it. */
export interface AuditHttpRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string | undefined>;
  query: unknown;
  body: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
  /** The status the answer leaves with, as the handler set it (a replay answers 200, a creation 201). */
  statusCode?: number;
}

/** The audit's view of a Fastify request and its reply. */
export function auditRequestOf(req: FastifyRequest, reply?: FastifyReply): AuditHttpRequest {
  return {
    method: req.method,
    path: req.url.split('?')[0]!,
    headers: req.headers,
    params: (req.params ?? {}) as Record<string, string | undefined>,
    query: req.query,
    body: req.body,
    ip: req.ip,
    socket: req.socket,
    get statusCode() {
      return reply?.statusCode;
    },
  };
}

const header = (req: AuditHttpRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Who, why and from where, taken from an authenticated request (principal, purpose header, request id, client address). */
export function auditContextFromRequest(req: AuditHttpRequest, principal: Principal): AuditContext {
  const ctx = currentContext();
  return {
    departmentId: principal.departmentId,
    actor: {
      subject: principal.subject,
      kind: principal.kind,
      roles: [...principal.roles],
      ...(principal.agencyId ? { agencyId: principal.agencyId } : {}),
    },
    purpose: purposeOfUseFrom(header(req, PURPOSE_OF_USE_HEADER), principal.roles),
    requestId: ctx?.requestId ?? null,
    correlationId: ctx?.correlationId ?? null,
    clientAddress: (req.ip ?? req.socket?.remoteAddress ?? '').slice(0, 64) || null,
  };
}

/** The break-glass reason header of a request (validated). */
export function breakGlassReasonOf(req: AuditHttpRequest): string | undefined {
  return breakGlassReasonFrom(header(req, BREAK_GLASS_REASON_HEADER));
}
