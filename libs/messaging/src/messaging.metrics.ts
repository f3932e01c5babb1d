import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';

type CountSources = WeakMap<Registry, Map<string, () => Promise<number>>>;

/** Backlog sources per registry: every relay registers a counter of its unpublished rows. */
const backlogSources: CountSources = new WeakMap();
/** Backlog age sources per registry: every relay registers the age of its oldest unpublished row. */
const backlogAgeSources: CountSources = new WeakMap();
/** Set-aside sources per registry: every relay registers a counter of its failed rows. */
const setAsideSources: CountSources = new WeakMap();

/** The messaging metrics of one registry; creating them twice returns the same instances. */
export interface MessagingMetrics {
  consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  outboxBacklog: Gauge<'service'>;
  outboxBacklogAge: Gauge<'service'>;
  outboxPublished: Counter<'service'>;
  outboxSetAside: Gauge<'service'>;
  outboxSetAsideTotal: Counter<'service'>;
  outboxRowFailures: Counter<'service'>;
  retentionDeleted: Counter<'service' | 'table'>;
  eventsConsumed: Counter<'group' | 'type' | 'outcome'>;
  dlqMessages: Counter<'group' | 'topic' | 'reason'>;
  eventsRejected: Counter<'group' | 'topic' | 'reason'>;
  handlerRetries: Counter<'group' | 'type'>;
}

function single<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** Returns the messaging metrics registered on `registry` (default: the prom-client global one). */
export function messagingMetrics(registry: Registry = globalRegister): MessagingMetrics {
  const registers = [registry];
  return {
    consumerLag: single(
      registry,
      'cit_consumer_lag',
      () =>
        new Gauge({
          name: 'cit_consumer_lag',
          help: 'Messages behind the high watermark per partition',
          labelNames: ['group', 'topic', 'partition'],
          registers,
        }),
    ),
    outboxBacklog: single(registry, 'cit_outbox_backlog', () =>
      collectedGauge(
        registry,
        'cit_outbox_backlog',
        'Outbox rows waiting to be published (pending, including rows held behind a set-aside row)',
        backlogSources,
      ),
    ),
    outboxBacklogAge: single(registry, 'cit_outbox_oldest_pending_age_seconds', () =>
      collectedGauge(
        registry,
        'cit_outbox_oldest_pending_age_seconds',
        'Age of the oldest outbox row waiting to be published (0 when none): how long the broker has been out of reach, at least',
        backlogAgeSources,
      ),
    ),
    outboxSetAside: single(registry, 'cit_outbox_set_aside', () =>
      collectedGauge(
        registry,
        'cit_outbox_set_aside',
        'Outbox rows set aside after repeated publish failures (alert on > 0; ops retry them)',
        setAsideSources,
      ),
    ),
    outboxSetAsideTotal: single(
      registry,
      'cit_outbox_set_aside_total',
      () =>
        new Counter({
          name: 'cit_outbox_set_aside_total',
          help: 'Outbox rows set aside after repeated publish failures',
          labelNames: ['service'],
          registers,
        }),
    ),
    outboxRowFailures: single(
      registry,
      'cit_outbox_row_failures_total',
      () =>
        new Counter({
          name: 'cit_outbox_row_failures_total',
          help: 'Publish failures attributed to one outbox row',
          labelNames: ['service'],
          registers,
        }),
    ),
    retentionDeleted: single(
      registry,
      'cit_messaging_retention_deleted_total',
      () =>
        new Counter({
          name: 'cit_messaging_retention_deleted_total',
          help: 'Rows deleted by messaging retention, by table (outbox, inbox)',
          labelNames: ['service', 'table'],
          registers,
        }),
    ),
    outboxPublished: single(
      registry,
      'cit_outbox_published_total',
      () =>
        new Counter({
          name: 'cit_outbox_published_total',
          help: 'Outbox rows published and acknowledged by the broker',
          labelNames: ['service'],
          registers,
        }),
    ),
    eventsConsumed: single(
      registry,
      'cit_events_consumed_total',
      () =>
        new Counter({
          name: 'cit_events_consumed_total',
          help: 'Events taken off topics, by outcome (processed, duplicate, ignored)',
          labelNames: ['group', 'type', 'outcome'],
          registers,
        }),
    ),
    dlqMessages: single(
      registry,
      'cit_dlq_messages_total',
      () =>
        new Counter({
          name: 'cit_dlq_messages_total',
          help: 'Messages written to a dead-letter topic, by reason (invalid, rejected, failed)',
          labelNames: ['group', 'topic', 'reason'],
          registers,
        }),
    ),
    eventsRejected: single(
      registry,
      'cit_events_rejected_total',
      () =>
        new Counter({
          name: 'cit_events_rejected_total',
          help: 'Valid events refused on arrival and dead-lettered, by reason (type-not-on-topic, source-not-producer, unknown-department)',
          labelNames: ['group', 'topic', 'reason'],
          registers,
        }),
    ),
    handlerRetries: single(
      registry,
      'cit_handler_retries_total',
      () =>
        new Counter({
          name: 'cit_handler_retries_total',
          help: 'Handler attempts retried after a transient error',
          labelNames: ['group', 'type'],
          registers,
        }),
    ),
  };
}

/** A gauge whose value is counted at scrape time by the sources registered for its registry. */
function collectedGauge(registry: Registry, name: string, help: string, sourcesOf: CountSources): Gauge<'service'> {
  return new Gauge({
    name,
    help,
    labelNames: ['service'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [service, count] of sourcesOf.get(registry) ?? []) {
        try {
          this.set({ service }, await count());
        } catch {
          // Database unreachable: leave the series out rather than report a wrong zero.
        }
      }
    },
  });
}

function registerSource(
  sourcesOf: CountSources,
  registry: Registry,
  service: string,
  count: () => Promise<number>,
): () => void {
  let sources = sourcesOf.get(registry);
  if (!sources) sourcesOf.set(registry, (sources = new Map()));
  sources.set(service, count);
  return () => {
    if (sources.get(service) === count) sources.delete(service);
  };
}

/** Lets the backlog gauge count `service`'s unpublished rows at scrape time; returns an unregister function. */
export function registerBacklogSource(registry: Registry, service: string, count: () => Promise<number>): () => void {
  return registerSource(backlogSources, registry, service, count);
}

/** Lets the backlog age gauge read `service`'s oldest unpublished row at scrape time; returns an unregister function. */
export function registerBacklogAgeSource(registry: Registry, service: string, age: () => Promise<number>): () => void {
  return registerSource(backlogAgeSources, registry, service, age);
}

/** Lets the set-aside gauge count `service`'s failed outbox rows at scrape time; returns an unregister function. */
export function registerSetAsideSource(registry: Registry, service: string, count: () => Promise<number>): () => void {
  return registerSource(setAsideSources, registry, service, count);
}
