import pino, { type Logger as PinoLogger } from 'pino';
import { redactPhi } from './phi-guard';
import { currentContext } from './request-context';

export type Logger = PinoLogger;

/** What a process tells logging at boot, from its validated configuration. */
export interface LoggingOptions {
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** The service name every line carries. */
  service: string;
}

let options: LoggingOptions = { level: 'info', service: 'cit' };
let root: PinoLogger | undefined;

/**
 * Sets level and service name from the process's validated configuration; loggers created
 * afterwards use them (the chassis calls this before it builds any component).
 */
export function configureLogging(next: LoggingOptions): void {
  options = { ...next };
  root = undefined;
}

function rootLogger(): PinoLogger {
  if (!root) {
    root = pino(
      {
        level: options.level,
        base: { service: options.service },
        timestamp: pino.stdTimeFunctions.isoTime,
        messageKey: 'msg',
        formatters: {
          level: (label) => ({ level: label }),
          // The PHI guard runs on every structured field of every line.
          log: (obj) => redactPhi(obj),
        },
        mixin() {
          const ctx = currentContext();
          return ctx
            ? {
                correlationId: ctx.correlationId,
                requestId: ctx.requestId,
                departmentId: ctx.departmentId,
                eventId: ctx.eventId,
              }
            : {};
        },
      },
      // Synchronous writes: the last lines before a process exits (shutdown, a fatal
      // configuration error) must not be lost in a buffer.
      pino.destination({ dest: 1, sync: true }),
    );
  }
  return root;
}

/** A JSON logger for a component; lines carry the correlation id and department of the current context. */
export function createLogger(component: string): Logger {
  return rootLogger().child({ component });
}

/** Replaces the root logger (tests capture lines with a custom destination). */
export function setRootLogger(logger: PinoLogger): void {
  root = logger;
}
