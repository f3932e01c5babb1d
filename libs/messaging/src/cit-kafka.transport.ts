import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { departmentRegistryFromEnv } from './department-registry';
import { EventConsumer, type EventConsumerOptions, type EventHandler } from './event-consumer';

/**
 * Options of the Nest transport: those of EventConsumer minus handlers (they come from
 * @EventPattern). Leave topics out: they are derived from the handled event types.
 */
export type CitKafkaTransportOptions = Omit<EventConsumerOptions, 'handlers'>;

/**
 * Nest microservice transport over EventConsumer. Handlers are written as
 * `@EventPattern('cit.x.y.v1') handle(@Payload() event, @Ctx() ctx: InboxContext)`; the
 * pattern is the CloudEvents type and ctx.manager is the inbox transaction.
 */
export class CitKafkaTransport extends Server implements CustomTransportStrategy {
  private consumer: EventConsumer | null = null;
  private listened = false;
  private handled = 0;

  private readonly options: CitKafkaTransportOptions;

  constructor(options: CitKafkaTransportOptions) {
    super();
    // The department registry is resolved while the app is built, so a production service
    // without CIT_DEPARTMENTS stops at boot, not once it starts consuming.
    this.options = { ...options, departments: options.departments ?? departmentRegistryFromEnv(process.env) };
  }

  /** Builds the consumer from the registered event handlers and starts it. */
  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    try {
      const handlers = new Map<string, EventHandler>();
      for (const [pattern, handler] of this.getHandlers()) {
        if (!handler.isEventHandler) {
          // Request-reply over Kafka breaks during rebalances; the platform uses events only.
          throw new Error(
            `CitKafkaTransport supports @EventPattern only; @MessagePattern('${pattern}') is not allowed`,
          );
        }
        handlers.set(pattern, toEventHandler(handler));
      }
      this.handled = handlers.size;
      // No handlers, no consumer: a group member that applies nothing would only record
      // offsets past events a later handler needs.
      if (handlers.size > 0) {
        this.consumer = new EventConsumer({ ...this.options, handlers });
        await this.consumer.start();
      }
      this.listened = true;
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Drains and stops the consumer (Nest calls this on app.close(), before DB providers are destroyed). */
  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }

  /** Whether readiness should wait for a consumer: true until listen() ran, then only when there are handlers. */
  expectsConsumer(): boolean {
    return !this.listened || this.handled > 0;
  }

  /** Not supported: consumer health is read through unwrap<EventConsumer>().status(). */
  on(): never {
    throw new Error('CitKafkaTransport does not emit events; use unwrap<EventConsumer>().status()');
  }

  /** The running EventConsumer (for status()). */
  unwrap<T>(): T {
    if (!this.consumer) throw new Error('CitKafkaTransport is not listening');
    return this.consumer as T;
  }
}

/**
 * Runs every handler registered for a pattern (Nest chains them through `.next`) and waits
 * for it. Nest turns handler exceptions into erroring observables; awaiting them rethrows,
 * so a failing handler rolls back the inbox transaction and is retried.
 */
function toEventHandler(head: MessageHandler): EventHandler {
  return async (event, ctx) => {
    for (
      let handler: MessageHandler | undefined = head;
      handler;
      handler = handler.next as MessageHandler | undefined
    ) {
      const result = await handler(event, ctx);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    }
  };
}
