import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';

/** Backlog sources per registry: every relay registers a counter of its unpublished rows. */
const backlogSources = new WeakMap<Registry, Map<string, () => Promise<number>>>();

/** The messaging metrics of one registry; creating them twice returns the same instances. */
export interface MessagingMetrics {
  consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  outboxBacklog: Gauge<'service'>;
  outboxPublished: Counter<'service'>;
  eventsConsumed: Counter<'group' | 'type' | 'outcome'>;
  dlqMessages: Counter<'group' | 'topic' | 'reason'>;
  handlerRetries: Counter<'group' | 'type'>;
}

function single<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** Returns the messaging metrics registered on `registry` (default: the prom-client global one). */
export function messagingMetrics(registry: Registry = globalRegister): MessagingMetrics {
  const registers = [registry];
  return {
    consumerLag: single(registry, 'cit_consumer_lag', () =>
      new Gauge({ name: 'cit_consumer_lag', help: 'Messages behind the high watermark per partition', labelNames: ['group', 'topic', 'partition'], registers }),
    ),
    outboxBacklog: single(registry, 'cit_outbox_backlog', () =>
      new Gauge({
        name: 'cit_outbox_backlog',
        help: 'Outbox rows not yet published',
        labelNames: ['service'],
        registers,
        async collect() {
          this.reset();
          for (const [service, count] of backlogSources.get(registry) ?? []) {
            try {
              this.set({ service }, await count());
            } catch {
              // Database unreachable: leave the series out rather than report a wrong zero.
            }
          }
        },
      }),
    ),
    outboxPublished: single(registry, 'cit_outbox_published_total', () =>
      new Counter({ name: 'cit_outbox_published_total', help: 'Outbox rows published and acknowledged by the broker', labelNames: ['service'], registers }),
    ),
    eventsConsumed: single(registry, 'cit_events_consumed_total', () =>
      new Counter({ name: 'cit_events_consumed_total', help: 'Events taken off topics, by outcome (processed, duplicate, ignored)', labelNames: ['group', 'type', 'outcome'], registers }),
    ),
    dlqMessages: single(registry, 'cit_dlq_messages_total', () =>
      new Counter({ name: 'cit_dlq_messages_total', help: 'Messages written to a dead-letter topic, by reason (invalid, failed)', labelNames: ['group', 'topic', 'reason'], registers }),
    ),
    handlerRetries: single(registry, 'cit_handler_retries_total', () =>
      new Counter({ name: 'cit_handler_retries_total', help: 'Handler attempts retried after a transient error', labelNames: ['group', 'type'], registers }),
    ),
  };
}

/** Lets the backlog gauge count `service`'s unpublished rows at scrape time; returns an unregister function. */
export function registerBacklogSource(registry: Registry, service: string, count: () => Promise<number>): () => void {
  let sources = backlogSources.get(registry);
  if (!sources) backlogSources.set(registry, (sources = new Map()));
  sources.set(service, count);
  return () => {
    if (sources.get(service) === count) sources.delete(service);
  };
}
