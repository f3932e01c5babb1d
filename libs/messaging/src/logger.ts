import { createLogger } from '@cit/observability';

/**
 * The logging surface messaging needs (pino-compatible, so a @cit/observability logger
 * can be passed straight in). Messaging logs ids and coordinates only, never payloads (PHI).
 */
export interface MessagingLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Default logger: the platform's JSON logger (PHI guard, correlation ids). */
export function defaultLogger(component: string): MessagingLogger {
  return createLogger(component);
}

/** Error details safe to log: name and a bounded message, no stack-embedded payloads. */
export function errorFields(err: unknown): { err: { name: string; message: string } } {
  if (err instanceof Error) return { err: { name: err.name, message: truncate(err.message, 500) } };
  return { err: { name: typeof err, message: truncate(describe(err), 500) } };
}

/** Bounded string of an error for headers and the outbox last_error column. */
export function errorMessage(err: unknown, max = 500): string {
  if (err instanceof Error) return truncate(`${err.name}: ${err.message}`, max);
  return truncate(describe(err), max);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value && typeof value.message === 'string')
    return value.message;
  return String(value);
}

/** Cuts a string to max characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
