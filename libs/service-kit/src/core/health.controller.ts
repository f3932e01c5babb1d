import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { extractBearerToken, Public } from '@cit/auth';
import { checkAll, createLogger, databaseIndicator, readinessBody, redisIndicator } from '@cit/observability';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { ServiceEnv } from '../config/service-config';
import { MessagingRuntime } from './messaging-runtime';
import { METRICS_REGISTRY, REDIS, SERVICE_ENV } from './tokens';

/** True when the header carries exactly this bearer token (compared in constant time). */
export function hasBearerToken(header: string | string[] | undefined, expected: string): boolean {
  const given = Buffer.from(extractBearerToken(header) ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Liveness, readiness (database, Redis, Kafka and consumer progress) and Prometheus metrics.
 * No end-user token here (probes and Prometheus have none): readiness says only which check
 * failed, and /metrics, which names routes, queues and volumes, needs the ops token METRICS_TOKEN.
 */
@Public()
@ApiExcludeController()
@Controller()
export class HealthController {
  private readonly logger = createLogger('health');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
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
    if (!result.ok) {
      // The details (raw errors included) stay in the service's own log.
      const failed = Object.fromEntries(Object.entries(result.checks).filter(([, r]) => !r.ok));
      this.logger.warn({ checks: failed }, 'not ready');
    }
    void res.status(result.ok ? 200 : 503).send(readinessBody(result));
  }

  @Get('metrics')
  async metrics(@Headers('authorization') authorization: string | undefined, @Res() res: FastifyReply): Promise<void> {
    // Production refuses to boot without METRICS_TOKEN; only a development run serves /metrics openly.
    if (this.env.METRICS_TOKEN !== undefined && !hasBearerToken(authorization, this.env.METRICS_TOKEN)) {
      void res.header('www-authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('metrics need the ops bearer token');
    }
    void res.type(this.registry.contentType).send(await this.registry.metrics());
  }
}
