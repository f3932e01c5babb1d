import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { extractBearerToken, Public } from '@cit/auth';
import {
  checkAll,
  createLogger,
  databaseIndicator,
  readinessBody,
  redisIndicator,
  type HealthReport,
} from '@cit/observability';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { ServiceEnv } from '../config/service-config';
import { MessagingRuntime } from './messaging-runtime';
import type { ServiceDefinition } from './service-definition';
import { METRICS_REGISTRY, REDIS, SERVICE_DEFINITION, SERVICE_ENV } from './tokens';

/** True when the header carries exactly this bearer token (compared in constant time). */
export function hasBearerToken(header: string | string[] | undefined, expected: string): boolean {
  const given = Buffer.from(extractBearerToken(header) ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The ops-only health detail: every dependency as it is now, including those that do not gate readiness. */
export interface HealthDetail {
  service: string;
  /** ok: all checks pass; degraded: ready, but a non-gating dependency (broker, consumer) is down; unavailable: not ready. */
  status: 'ok' | 'degraded' | 'unavailable';
  live: true;
  ready: boolean;
  checkedAt: string;
  checks: Record<
    string,
    { ok: boolean; gatesReadiness: boolean; latencyMs: number; reason?: string; detail?: Record<string, unknown> }
  >;
}

/**
 * Liveness (never a dependency), readiness (only what the instance cannot serve without:
 * PostgreSQL, Redis for the token deny-list, the outbox within its bounds, the consumer's
 * first join), the health detail and Prometheus metrics. No end-user token here (probes and
 * Prometheus have none): readiness says only which check failed; /health/detail (raw errors,
 * hosts) and /metrics (routes, queues, volumes) need the ops token METRICS_TOKEN.
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
    @Inject(SERVICE_DEFINITION) private readonly def: ServiceDefinition,
    private readonly runtime: MessagingRuntime,
  ) {}

  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() res: FastifyReply): Promise<void> {
    // Only the gating checks: a probe of an unreachable broker must not make readiness itself slow.
    const result = await this.checkAll({ gatingOnly: true });
    if (!result.ok) {
      // The details (raw errors included) stay in the service's own log.
      const failed = Object.fromEntries(Object.entries(result.checks).filter(([, r]) => !r.ok));
      this.logger.warn({ checks: failed }, 'not ready');
    }
    void res.status(result.ok ? 200 : 503).send(readinessBody(result));
  }

  /** Every dependency with its reason and figures; 200 while ready (degraded included), 503 when not. */
  @Get('health/detail')
  async detail(@Headers('authorization') authorization: string | undefined, @Res() res: FastifyReply): Promise<void> {
    this.requireOpsToken(authorization, res);
    const result = await this.checkAll();
    const body: HealthDetail = {
      service: this.def.name,
      status: !result.ok ? 'unavailable' : result.degraded ? 'degraded' : 'ok',
      live: true,
      ready: result.ok,
      checkedAt: new Date().toISOString(),
      checks: Object.fromEntries(
        Object.entries(result.checks).map(([name, r]) => [
          name,
          {
            ok: r.ok,
            gatesReadiness: r.gatesReadiness,
            latencyMs: r.latencyMs,
            ...(r.ok ? {} : { reason: r.error ?? 'failed' }),
            ...(r.detail ? { detail: r.detail } : {}),
          },
        ]),
      ),
    };
    void res.status(result.ok ? 200 : 503).send(body);
  }

  @Get('metrics')
  async metrics(@Headers('authorization') authorization: string | undefined, @Res() res: FastifyReply): Promise<void> {
    this.requireOpsToken(authorization, res);
    void res.type(this.registry.contentType).send(await this.registry.metrics());
  }

  private requireOpsToken(authorization: string | undefined, res: FastifyReply): void {
    // Production refuses to boot without METRICS_TOKEN; only a development run serves these openly.
    if (this.env.METRICS_TOKEN !== undefined && !hasBearerToken(authorization, this.env.METRICS_TOKEN)) {
      void res.header('www-authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('this route needs the ops bearer token');
    }
  }

  private checkAll({ gatingOnly = false } = {}): Promise<HealthReport> {
    const indicators = [
      // A pool probe: with PostgreSQL away it fails within the pool's connect timeout or checkAll's, whichever is first.
      databaseIndicator(this.dataSource),
      redisIndicator(this.redis),
      ...this.runtime.healthIndicators(),
    ];
    return checkAll(gatingOnly ? indicators.filter((i) => i.gatesReadiness !== false) : indicators);
  }
}
