import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids that follow one request or one consumed event through every log line and emitted event. */
export interface RequestContext {
  correlationId: string;
  requestId?: string;
  departmentId?: string;
  principalId?: string;
  eventId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs fn with the given context visible to loggers and event builders. */
export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The context of the current request or event, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds fields (e.g. the department once the token is verified) to the current context. */
export function enrichContext(fields: Partial<RequestContext>): void {
  const ctx = storage.getStore();
  if (ctx) Object.assign(ctx, fields);
}
