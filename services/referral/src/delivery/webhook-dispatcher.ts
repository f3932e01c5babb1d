import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { newId } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { FieldCipher, tenantTransaction, type PhiBinding } from '@cit/persistence';
import { MicroBatcher, SERVICE_ENV, type BatchResult, type ServiceEnv } from '@cit/service-kit';
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

/** Where an endpoint secret is bound: its department, endpoint (agency) and column. */
export const secretAad = (departmentId: string, agencyId: string, column: 'current' | 'previous'): PhiBinding => ({
  departmentId,
  table: 'webhook_endpoint',
  column: column === 'current' ? 'secret_ciphertext' : 'previous_secret_ciphertext',
  rowId: agencyId,
  legacyAad: `webhook_endpoint.${column}:${departmentId}:${agencyId}`,
});

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

interface AttemptRecord {
  departmentId: string;
  deliveryId: string;
  agencyId: string;
  outcome: Outcome | 'abandoned';
}

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
  // Group commit: concurrent jobs share one load query and one recording transaction.
  private readonly loads = new MicroBatcher(
    (items: { departmentId: string; deliveryId: string }[]) => this.loadBatch(items),
    {
      maxBatch: 200,
      maxConcurrent: 2,
    },
  );
  private readonly records = new MicroBatcher((items: AttemptRecord[]) => this.recordBatch(items), {
    maxBatch: 200,
    maxConcurrent: 2,
  });
  private readonly secretCache = new Map<string, string>();

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
    this.openQueue();
    this.startWorker();
  }

  /** The producer side only (enqueue); the service opens it with the worker. */
  openQueue(): void {
    this.queue ??= new Queue<WebhookJobData>(this.queueName, {
      connection: redisOptions(this.env.REDIS_URL, 'cit-referral-webhooks'),
    });
  }

  startWorker(): void {
    if (this.worker) return;
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
    const d = await this.loads.submit({ departmentId, deliveryId });
    // Enqueued from inside a transaction that has not committed yet: try again shortly.
    if (!d && job.attemptsMade < 3) throw new Error('webhook delivery not committed yet');
    if (!d || d.status !== 'pending') return;
    if (!d.enabled) {
      await this.records.submit({ departmentId, deliveryId, agencyId: d.agency_id, outcome: 'abandoned' });
      return;
    }
    const now = new Date();
    const outcome = await this.post(d.url, d.id, d.body, this.secrets(departmentId, d, now), now);
    const disabled = await this.records.submit({ departmentId, deliveryId, agencyId: d.agency_id, outcome });
    // Thrown after the attempt is recorded, so BullMQ retries with backoff.
    if (!outcome.ok && !disabled) throw new Error(`webhook delivery failed: ${outcome.error}`);
  }

  /** The signing secrets valid now (both during a rotation), decrypted once per stored value. */
  private secrets(departmentId: string, d: Attempt, now: Date): string[] {
    const decrypt = (token: string, column: 'current' | 'previous') => {
      let plain = this.secretCache.get(token);
      if (plain === undefined) {
        plain = this.cipher.decrypt(token, secretAad(departmentId, d.agency_id, column));
        if (this.secretCache.size > 10_000) this.secretCache.clear();
        this.secretCache.set(token, plain);
      }
      return plain;
    };
    const out = [decrypt(d.secret_ciphertext, 'current')];
    if (d.previous_secret_ciphertext && d.previous_valid_until && d.previous_valid_until > now)
      out.push(decrypt(d.previous_secret_ciphertext, 'previous'));
    return out;
  }

  /** One query per department for a batch of deliveries about to be attempted. */
  private async loadBatch(
    items: { departmentId: string; deliveryId: string }[],
  ): Promise<BatchResult<Attempt | undefined>[]> {
    const found = new Map<string, Attempt>();
    for (const dept of new Set(items.map((i) => i.departmentId))) {
      const ids = items.filter((i) => i.departmentId === dept).map((i) => i.deliveryId);
      const rows = await tenantTransaction(this.dataSource, dept, (em) =>
        em.query(
          `SELECT d.id, d.agency_id, d.body, d.status, e.url, e.secret_ciphertext, e.previous_secret_ciphertext,
                  e.previous_valid_until, e.enabled, e.failing_since
             FROM webhook_delivery d
             JOIN webhook_endpoint e ON e.department_id = d.department_id AND e.agency_id = d.agency_id
            WHERE d.department_id = $1 AND d.id = ANY($2::text[])`,
          [dept, ids],
        ),
      );
      for (const r of rows as Attempt[]) found.set(`${dept}\u0000${r.id}`, r);
    }
    return items.map((i) => ({ ok: true, value: found.get(`${i.departmentId}\u0000${i.deliveryId}`) }));
  }

  /**
   * Records a batch of attempts, one transaction per department: each delivery's row, then the
   * endpoints (a success clears failing_since; a failure starts it, and an endpoint failing for
   * webhookDisableAfterMs is disabled). Resolves true for an item whose endpoint got disabled.
   */
  private async recordBatch(items: AttemptRecord[]): Promise<BatchResult<boolean>[]> {
    const disabledAgencies = new Set<string>();
    for (const dept of new Set(items.map((i) => i.departmentId))) {
      const mine = items.filter((i) => i.departmentId === dept);
      await tenantTransaction(this.dataSource, dept, async (em) => {
        const status = mine.map((i) =>
          i.outcome === 'abandoned' ? 'abandoned' : i.outcome.ok ? 'delivered' : 'pending',
        );
        await em.query(
          `UPDATE webhook_delivery d
              SET status = u.status,
                  attempts = d.attempts + CASE WHEN u.status = 'abandoned' THEN 0 ELSE 1 END,
                  last_status_code = CASE WHEN u.status = 'abandoned' THEN d.last_status_code ELSE u.code END,
                  last_error = CASE WHEN u.status = 'abandoned' THEN d.last_error ELSE u.error END,
                  last_attempt_at = CASE WHEN u.status = 'abandoned' THEN d.last_attempt_at ELSE now() END,
                  delivered_at = CASE WHEN u.status = 'delivered' THEN now() END
             FROM unnest($2::text[], $3::text[], $4::int[], $5::text[]) AS u(id, status, code, error)
            WHERE d.department_id = $1 AND d.id = u.id AND d.status = 'pending'`,
          [
            dept,
            mine.map((i) => i.deliveryId),
            status,
            mine.map((i) => (i.outcome === 'abandoned' ? null : i.outcome.ok ? 200 : i.outcome.statusCode)),
            mine.map((i) => (i.outcome === 'abandoned' || i.outcome.ok ? null : i.outcome.error)),
          ],
        );
        const ok = [...new Set(mine.filter((i) => i.outcome !== 'abandoned' && i.outcome.ok).map((i) => i.agencyId))];
        const failed = [
          ...new Set(mine.filter((i) => i.outcome !== 'abandoned' && !i.outcome.ok).map((i) => i.agencyId)),
        ].filter((a) => !ok.includes(a));
        if (ok.length)
          await em.query(
            `UPDATE webhook_endpoint SET failing_since = NULL
              WHERE department_id = $1 AND agency_id = ANY($2::text[]) AND failing_since IS NOT NULL`,
            [dept, ok],
          );
        if (failed.length) {
          const rows = (await em.query(
            `UPDATE webhook_endpoint SET failing_since = COALESCE(failing_since, now())
              WHERE department_id = $1 AND agency_id = ANY($2::text[]) AND enabled
              RETURNING agency_id, failing_since`,
            [dept, failed],
          )) as [{ agency_id: string; failing_since: Date }[], number];
          for (const r of rows[0])
            if (Date.now() - r.failing_since.getTime() >= this.options.webhookDisableAfterMs) {
              await this.disable(em, dept, r.agency_id);
              disabledAgencies.add(`${dept}\u0000${r.agency_id}`);
            }
        }
      });
    }
    return items.map((i) => ({ ok: true, value: disabledAgencies.has(`${i.departmentId}\u0000${i.agencyId}`) }));
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
