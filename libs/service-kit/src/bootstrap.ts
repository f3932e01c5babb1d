import 'reflect-metadata';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module, NotFoundException, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CitKafkaTransport, type EventConsumer, type KafkaClient } from '@cit/messaging';
import { configureLogging, createLogger, JsonNestLogger } from '@cit/observability';
import { DataSource } from 'typeorm';
import type { Registry } from 'prom-client';
import { loadServiceEnv, type ServiceEnv } from './config/service-config';
import { MessagingRuntime } from './core/messaging-runtime';
import { ServiceCoreModule } from './core/service-core.module';
import { serviceConsumerGroup, type ServiceDefinition } from './core/service-definition';
import { KAFKA, METRICS_REGISTRY } from './core/tokens';
import { ProblemDetailsFilter, toProblem } from './http/problem-details';
import { installRequestContext } from './http/request-context.middleware';
import { installHttpMetrics } from './http/http-metrics.middleware';
import { byteSize, installBodyParsers } from './http/body-parser';
import { installTextGuard } from './http/text-guard';
import { answerClientError } from './http/client-error';

/** Loads .local/env (written by infra/local) when present; variables already set win. */
export function loadLocalEnvFile(start = process.cwd()): void {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const file = join(dir, '.local', 'env');
    if (existsSync(file)) {
      process.loadEnvFile(file);
      return;
    }
    dir = join(dir, '..');
  }
}

/** Builds the Nest application of a service (HTTP + Kafka consumer), not yet listening. */
export async function createServiceApp(
  def: ServiceDefinition,
  feature: Type<unknown>,
  env: ServiceEnv = loadServiceEnv(process.env, def),
): Promise<INestApplication> {
  // Before any component builds its logger, so every line has the configured level and name.
  configureLogging({ level: env.LOG_LEVEL, service: def.name });
  @Module({ imports: [ServiceCoreModule.forRoot(def, env), feature] })
  class ServiceModule {}

  const adapter = new FastifyAdapter({
    bodyLimit: byteSize(env.HTTP_BODY_LIMIT),
    // Node's own default; a service may need longer (def.httpRequestTimeoutMs) or set deadlines per route.
    requestTimeout: def.httpRequestTimeoutMs ?? 300_000,
    // Requests the HTTP parser refuses get problem+json too, without the parser's reason.
    clientErrorHandler: answerClientError,
    // A path that is not valid percent-encoding names no resource (the text guard's 404); Fastify would quote it.
    frameworkErrors: (_error: unknown, _req: unknown, reply: FastifyReply) => {
      void reply
        .code(404)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            ...toProblem(new NotFoundException()),
            detail: 'No resource has this address.',
          }),
        );
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ServiceModule, adapter, {
    logger: new JsonNestLogger(),
    bodyParser: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  installRequestContext(fastify);
  installHttpMetrics(fastify, app.get<Registry>(METRICS_REGISTRY));
  // Bodies beyond the limit get 413, malformed JSON 400, both problem+json before any handler runs.
  installBodyParsers(fastify, def.streamedContentTypes);
  // Text PostgreSQL cannot store (NUL, unpaired surrogates) is refused here, for every route
  // of every service: 404 in the path, 400 naming the field in headers, query and body.
  installTextGuard(fastify);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(def.title)
      .setDescription(def.description)
      .setVersion('1.0.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });

  // Topics come from the service's @EventPattern handlers; without handlers the
  // transport starts no consumer.
  const transport = new CitKafkaTransport({
    kafka: app.get<KafkaClient>(KAFKA),
    dataSource: app.get(DataSource),
    groupId: env.CONSUMER_GROUP ?? serviceConsumerGroup(def),
    // Stable across group changes: a new group replaying history skips what was applied.
    inboxConsumer: serviceConsumerGroup(def),
    registry: app.get<Registry>(METRICS_REGISTRY),
    stallAfterMs: env.CONSUMER_STALL_AFTER_MS,
    sessionTimeoutMs: env.CONSUMER_SESSION_TIMEOUT_MS,
    // A new group normally reads the whole retained stream; a throwaway group (tests, a
    // replay tool) may start at the end instead.
    fromBeginning: env.CONSUMER_FROM_BEGINNING,
    heartbeatIntervalMs: Math.max(500, Math.floor(env.CONSUMER_SESSION_TIMEOUT_MS / 10)),
    ...def.consumer,
    logger: createLogger('consumer'),
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  app.get(MessagingRuntime).attachConsumer(
    () => {
      try {
        return transport.unwrap<EventConsumer>();
      } catch {
        return undefined;
      }
    },
    () => transport.expectsConsumer(),
  );
  return app;
}

/** Starts a service: validated configuration, consumer, HTTP on PORT; exits with a clear message on bad config. */
export async function bootstrapService(
  def: ServiceDefinition,
  feature: Type<unknown>,
): Promise<INestApplication | undefined> {
  loadLocalEnvFile();
  let env: ServiceEnv;
  try {
    env = loadServiceEnv(process.env, def);
  } catch (err) {
    configureLogging({ level: 'info', service: def.name });
    createLogger('bootstrap').fatal(
      { err: { message: (err as Error).message } },
      'configuration invalid; not starting',
    );
    process.stderr.write(`${def.name}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  configureLogging({ level: env.LOG_LEVEL, service: def.name });
  if (env.HTTP_WORKERS > 1 && cluster.isPrimary) {
    superviseWorkers(def, env.HTTP_WORKERS);
    return undefined;
  }
  const logger = createLogger('bootstrap');
  const app = await createServiceApp(def, feature, env);
  const port = env.SERVICE_PORT ?? def.defaultPort;
  // HTTP first: liveness answers while the consumer joins its group, and readiness says why it is not ready yet.
  await app.listen(port, '0.0.0.0');
  logger.info({ port }, `${def.name} listening`);
  await app.startAllMicroservices();
  logger.info({}, `${def.name} consuming`);
  return app;
}

/**
 * HTTP_WORKERS > 1: this process supervises that many copies of the service sharing its
 * port (one per core, where a pod or VM has several). The outbox relay stays single by its
 * advisory lock; consumers share partitions through their group. SIGTERM stops the workers
 * in their own ordered way, then the supervisor exits.
 */
function superviseWorkers(def: ServiceDefinition, workers: number): void {
  const logger = createLogger('supervisor');
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, `${def.name} worker exited; starting another`);
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGTERM'));
}
