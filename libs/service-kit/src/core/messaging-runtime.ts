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
import type { ServiceDefinition } from './service-definition';
import { KAFKA, METRICS_REGISTRY, REDIS, SERVICE_DEFINITION, SERVICE_ENV } from './tokens';

const DAY_MS = 24 * 60 * 60 * 1000;

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
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.producer?.disconnect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.redis.quit().catch(() => this.redis.disconnect());
    this.logger.info({}, 'connections closed');
  }

  /** Kafka readiness: the producer is connected and the consumer (if any) makes progress. */
  kafkaIndicator(): HealthIndicator {
    return {
      name: 'kafka',
      check: async () => {
        const relay = this.relay ? await this.relay.status() : undefined;
        const consumer = this.consumer?.()?.status();
        const expectsConsumer = this.expectsConsumer();
        const consumerOk = !expectsConsumer || (consumer?.healthy ?? false);
        return {
          ok: this.producerConnected && consumerOk,
          detail: {
            producerConnected: this.producerConnected,
            outbox: relay ? { leader: relay.leader, backlog: relay.backlog, lastError: relay.lastError } : undefined,
            consumer: consumer
              ? { healthy: consumer.healthy, reason: consumer.reason, lag: consumer.lag }
              : expectsConsumer
                ? 'not started'
                : 'none',
          },
        };
      },
    };
  }
}
