import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createLogger, type HealthIndicator } from '@cit/observability';
import { createProducer, OutboxRelay, type EventConsumer, type KafkaClient } from '@cit/messaging';
import type { Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { ServiceEnv } from '../config/service-config';
import { BrokerProbe } from './broker-probe';
import { assessBroker, assessConsumer, assessOutbox } from './dependency-health';
import type { ServiceDefinition } from './service-definition';
import { KAFKA, METRICS_REGISTRY, REDIS, SERVICE_DEFINITION, SERVICE_ENV } from './tokens';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An idle consumer fetches every maxWaitTime (about 1 s) and heartbeats every few seconds:
 * this long without either answered means the broker is out of its reach.
 */
const CONSUMER_SILENT_AFTER_MS = 15_000;

/**
 * Owns the service's connections and their order: the outbox relay starts after boot;
 * on shutdown the consumer and relay stop first (Nest closes the transport between
 * beforeApplicationShutdown and onApplicationShutdown), then PostgreSQL and Redis close.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = createLogger('runtime');
  private relay?: OutboxRelay;
  private producer?: Producer;
  private consumer?: () => EventConsumer | undefined;
  private expectsConsumer: () => boolean = () => false;
  private producerConnected = false;
  private brokerProbe?: BrokerProbe;

  constructor(
    @Inject(SERVICE_DEFINITION) private readonly def: ServiceDefinition,
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(KAFKA) private readonly kafka: KafkaClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly dataSource: DataSource,
  ) {}

  /** Lets readiness see the consumer the transport runs. */
  attachConsumer(get: () => EventConsumer | undefined, expected: () => boolean = () => true): void {
    this.consumer = get;
    this.expectsConsumer = expected;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.producer = createProducer(this.kafka);
    this.producer.on(this.producer.events.CONNECT, () => (this.producerConnected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
    await this.producer.connect();
    this.relay = new OutboxRelay({
      dataSource: this.dataSource,
      kafka: this.kafka,
      producer: this.producer,
      service: this.def.name,
      registry: this.registry,
      logger: createLogger('outbox-relay'),
      retention: {
        publishedOutboxMaxAgeMs: this.env.OUTBOX_RETENTION_DAYS * DAY_MS,
        inboxMaxAgeMs: this.env.INBOX_RETENTION_DAYS * DAY_MS,
      },
    });
    this.relay.start();
    this.brokerProbe = new BrokerProbe(this.kafka);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.brokerProbe?.close();
    await this.relay?.stop();
    await this.producer?.disconnect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.redis.quit().catch(() => this.redis.disconnect());
    this.logger.info({}, 'connections closed');
  }

  /**
   * The messaging checks of the health detail and readiness. The broker and the consumer
   * never gate readiness: while the broker is away the API keeps accepting into the outbox
   * and reads still work. The outbox gates it past its bounds; `startup` until the consumer
   * has joined its group once (a consumer reading from the latest offset must not miss what
   * the first requests publish).
   */
  healthIndicators(): HealthIndicator[] {
    const indicators: HealthIndicator[] = [
      {
        name: 'broker',
        gatesReadiness: false,
        check: async () => {
          if (!this.brokerProbe) return { ok: false, error: 'not started' };
          const probe = await this.brokerProbe.probe();
          const result = assessBroker(probe);
          return { ...result, detail: { ...result.detail, producerConnected: this.producerConnected } };
        },
      },
      {
        name: 'outbox',
        check: async () => {
          if (!this.relay) return { ok: false, error: 'relay not started' };
          return assessOutbox(await this.relay.status(), {
            maxBacklog: this.env.OUTBOX_MAX_BACKLOG,
            maxAgeSeconds: this.env.OUTBOX_MAX_BACKLOG_AGE_SECONDS,
          });
        },
      },
    ];
    if (this.expectsConsumer()) {
      indicators.push(
        {
          name: 'consumer',
          gatesReadiness: false,
          check: async () => {
            const consumer = this.consumer?.();
            if (!consumer) return { ok: false, error: 'not started' };
            return assessConsumer(consumer.status(), new Date(), CONSUMER_SILENT_AFTER_MS);
          },
        },
        {
          name: 'startup',
          check: async () => {
            const started = this.consumer?.()?.status().startedAt;
            return started ? { ok: true } : { ok: false, error: 'the consumer has not joined its group yet' };
          },
        },
      );
    }
    return indicators;
  }
}
