import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@cit/auth';
import { checkAll, databaseIndicator, redisIndicator } from '@cit/observability';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { MessagingRuntime } from './messaging-runtime';
import { METRICS_REGISTRY, REDIS } from './tokens';

/** Liveness, readiness (database, Redis, Kafka and consumer progress) and Prometheus metrics. */
@Public()
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly runtime: MessagingRuntime,
  ) {}

  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() res: FastifyReply): Promise<void> {
    const result = await checkAll([
      databaseIndicator(this.dataSource),
      redisIndicator(this.redis),
      this.runtime.kafkaIndicator(),
    ]);
    void res.status(result.ok ? 200 : 503).send({ status: result.ok ? 'ok' : 'unavailable', checks: result.checks });
  }

  @Get('metrics')
  async metrics(@Res() res: FastifyReply): Promise<void> {
    void res.type(this.registry.contentType).send(await this.registry.metrics());
  }
}
