import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { newId } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { FieldCipher, setTenant } from '@cit/persistence';
import { SERVICE_ENV, type ServiceEnv } from '@cit/service-kit';
import { Queue, Worker, type Job } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { DataSource, type EntityManager } from 'typeorm';
import { REFERRAL_OPTIONS, type ReferralOptions } from '../referral-options';
import { webhookHeaders } from './webhook-signature';

/** Job data: ids only (BullMQ data sits in Redis). */
export interface WebhookJobData {
  departmentId: string;
  deliveryId: string;
}

function redisOptions(url: string, name: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number(u.pathname.replace('/', '') || 0),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    connectionName: name,
  };
}

/** The AAD of an endpoint secret column. */
export const secretAad = (departmentId: string, agencyId: string, column: 'current' | 'previous') =>
  `webhook_endpoint.${column}:${departmentId}:${agencyId}`;

interface Attempt {
  id: string;
  agency_id: string;
  body: string;
  status: string;
  url: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_valid_until: Date | null;
  enabled: boolean;
  failing_since: Date | null;
}

type Outcome = { ok: true } | { ok: false; statusCode: number | null; error: string };

/**
 * Webhook delivery on BullMQ: one job per delivery row (job id = delivery id), exponential
 * backoff capped at webhookBackoffCapMs. The row in PostgreSQL is the truth (attempts, last
 * status, delivered); an endpoint failing for webhookDisableAfterMs is disabled, its pending
 * deliveries abandoned, and the agency and ops alerted.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = createLogger('webhook-dispatcher');
  readonly queueName: string;
  private queue?: Queue<WebhookJobData>;
  private worker?: Worker<WebhookJobData>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(REFERRAL_OPTIONS) private readonly options: ReferralOptions,
  ) {
    // One queue per database: test databases on the shared Redis never see each other's jobs.
    this.queueName = `referral-webhooks-${env.DATABASE_NAME ?? 'cit_referral'}`;
  }

  onApplicationBootstrap(): void {
    this.queue = new Queue<WebhookJobData>(this.queueName, {
      connection: redisOptions(this.env.REDIS_URL, 'cit-referral-webhooks'),
    });
    const { webhookBackoffBaseMs: base, webhookBackoffCapMs: cap } = this.options;
    this.worker = new Worker<WebhookJobData>(this.queueName, (job) => this.process(job), {
      connection: redisOptions(this.env.REDIS_URL, 'cit-referral-webhook-worker'),
      concurrency: this.options.webhookConcurrency,
      settings: { backoffStrategy: (attemptsMade: number) => Math.min(cap, base * 2 ** Math.max(0, attemptsMade - 1)) },
    });
    this.worker.on('error', (err) => this.logger.error({ err: { message: err.message } }, 'webhook worker error'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  /** Enqueues deliveries already committed to PostgreSQL. */
  async enqueue(departmentId: string, deliveryIds: readonly string[], opts: { delayMs?: number } = {}): Promise<void> {
    if (!this.queue || deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: 'deliver',
        data: { departmentId, deliveryId },
        opts: {
          jobId: deliveryId,
          ...(opts.delayMs ? { delay: opts.delayMs } : {}),
          attempts: this.options.webhookAttempts,
          backoff: { type: 'custom' },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  }

  private async process(job: Job<WebhookJobData>): Promise<void> {
    const { departmentId, deliveryId } = job.data;
    const failure = await this.dataSource.transaction(async (em) => {
      await setTenant(em, departmentId);
      const rows = (await em.query(
        `SELECT d.id, d.agency_id, d.body, d.status, e.url, e.secret_ciphertext, e.previous_secret_ciphertext,
                e.previous_valid_until, e.enabled, e.failing_since
           FROM webhook_delivery d
           JOIN webhook_endpoint e ON e.department_id = d.department_id AND e.agency_id = d.agency_id
          WHERE d.department_id = $1 AND d.id = $2
          FOR UPDATE OF d`,
        [departmentId, deliveryId],
      )) as Attempt[];
      const d = rows[0];
      // Enqueued from inside a transaction that has not committed yet: try again shortly.
      if (!d && job.attemptsMade < 3)
        return { ok: false as const, statusCode: null, error: 'delivery not committed yet' };
      if (!d || d.status !== 'pending') return undefined;
      if (!d.enabled) {
        await em.query(`UPDATE webhook_delivery SET status = 'abandoned' WHERE department_id = $1 AND id = $2`, [
          departmentId,
          d.id,
        ]);
        return undefined;
      }
      const now = new Date();
      const secrets = [this.cipher.decrypt(d.secret_ciphertext, secretAad(departmentId, d.agency_id, 'current'))];
      if (d.previous_secret_ciphertext && d.previous_valid_until && d.previous_valid_until > now)
        secrets.push(
          this.cipher.decrypt(d.previous_secret_ciphertext, secretAad(departmentId, d.agency_id, 'previous')),
        );
      const outcome = await this.post(d.url, d.id, d.body, secrets, now);
      if (outcome.ok) {
        await em.query(
          `UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1, last_status_code = 200,
                  last_error = NULL, last_attempt_at = now(), delivered_at = now() WHERE department_id = $1 AND id = $2`,
          [departmentId, d.id],
        );
        if (d.failing_since)
          await em.query(
            'UPDATE webhook_endpoint SET failing_since = NULL WHERE department_id = $1 AND agency_id = $2',
            [departmentId, d.agency_id],
          );
        return undefined;
      }
      await em.query(
        `UPDATE webhook_delivery SET attempts = attempts + 1, last_status_code = $3, last_error = $4, last_attempt_at = now()
          WHERE department_id = $1 AND id = $2`,
        [departmentId, d.id, outcome.statusCode, outcome.error],
      );
      const since = d.failing_since ?? now;
      if (!d.failing_since)
        await em.query(
          'UPDATE webhook_endpoint SET failing_since = now() WHERE department_id = $1 AND agency_id = $2 AND failing_since IS NULL',
          [departmentId, d.agency_id],
        );
      if (now.getTime() - since.getTime() >= this.options.webhookDisableAfterMs) {
        await this.disable(em, departmentId, d.agency_id);
        return undefined;
      }
      return outcome;
    });
    // Thrown after commit, so the attempt is recorded and BullMQ retries with backoff.
    if (failure && !failure.ok) throw new Error(`webhook delivery failed: ${failure.error}`);
  }

  private async disable(em: EntityManager, departmentId: string, agencyId: string): Promise<void> {
    await em.query(
      `UPDATE webhook_endpoint SET enabled = false, disabled_at = now(), updated_at = now()
        WHERE department_id = $1 AND agency_id = $2`,
      [departmentId, agencyId],
    );
    await em.query(
      `UPDATE webhook_delivery SET status = 'abandoned' WHERE department_id = $1 AND agency_id = $2 AND status = 'pending'`,
      [departmentId, agencyId],
    );
    for (const audience of ['agency', 'ops'] as const)
      await em.query(
        `INSERT INTO referral_alert (department_id, id, kind, audience, agency_id) VALUES ($1, $2, 'webhook-disabled', $3, $4)`,
        [departmentId, newId('alr'), audience, agencyId],
      );
    this.logger.error(
      { departmentId, agencyId },
      'webhook endpoint failing for too long: disabled; agency and ops alerted',
    );
  }

  private async post(url: string, id: string, body: string, secrets: string[], now: Date): Promise<Outcome> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: webhookHeaders(secrets, id, body, now),
        body,
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs),
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true };
      return { ok: false, statusCode: res.status, error: `HTTP ${res.status}` };
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      // Error codes only: a receiver's message could echo the payload.
      return { ok: false, statusCode: null, error: e.cause?.code ?? e.name ?? 'network error' };
    }
  }
}
