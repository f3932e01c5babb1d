import type { Principal } from '@cit/auth';
import { currentContext } from '@cit/observability';
import type { ChangeContext } from './sessions/session-events';

/** The event chain of a request's changes: its correlation id, the request as cause. */
export function requestChangeContext(principal: Principal, fallback: string): ChangeContext {
  const ctx = currentContext();
  return {
    departmentId: principal.departmentId,
    correlationId: ctx?.correlationId ?? fallback,
    ...(ctx?.requestId ? { causationId: ctx.requestId } : {}),
  };
}
