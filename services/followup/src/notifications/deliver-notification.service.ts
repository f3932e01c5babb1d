import { Inject, Injectable } from '@nestjs/common';
import { FieldCipher, tenantTransaction, type PhiBinding } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { FOLLOWUP_OPTIONS, type FollowupOptions } from '../reminders/followup-options';
import { loadSettings } from '../settings/department-settings';
import { FollowupMetrics } from '../ops/followup-metrics';
import type { NotificationBody } from './notification-body';
import { DeliveryError, type NotificationChannel } from './notification-channel';
import { EmailChannel } from './email.channel';
import { WebhookChannel } from './webhook.channel';

/** Where a webhook secret is bound: its department and endpoint row (legacy v1 tokens: the row alone). */
export const endpointSecretAad = (departmentId: string, endpointId: string): PhiBinding => ({
  departmentId,
  table: 'notification_endpoint',
  column: 'secret_ciphertext',
  rowId: endpointId,
  legacyAad: `notification_endpoint.secret:${endpointId}`,
});

/**
 * Delivers one pending notification through its channel and records the attempt. Failure
 * throws (BullMQ retries with exponential backoff); the last failed attempt marks it failed,
 * where ops see it (the job stays in the failed set). A delivered one is never sent again.
 */
@Injectable()
export class DeliverNotificationService {
  private readonly channels: Map<string, NotificationChannel>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly metrics: FollowupMetrics,
    @Inject(FOLLOWUP_OPTIONS) options: FollowupOptions,
  ) {
    this.channels = new Map<string, NotificationChannel>([
      ['webhook', new WebhookChannel(options.deliveryTimeoutMs)],
      ['email', new EmailChannel(options.deliveryTimeoutMs)],
    ]);
  }

  async deliver(departmentId: string, notificationId: string, attempt: number, last: boolean): Promise<string> {
    const loaded = await tenantTransaction(this.dataSource, departmentId, async (em) => {
      const rows: Array<{
        state: string;
        channel: string;
        body: NotificationBody;
        endpoint_id: string;
        url: string | null;
        secret_ciphertext: string | null;
        email: string | null;
      }> = await em.query(
        `SELECT n.state, n.channel, n.body, n.endpoint_id, e.url, e.secret_ciphertext, e.email
         FROM notification n LEFT JOIN notification_endpoint e ON e.department_id = n.department_id AND e.id = n.endpoint_id
         WHERE n.department_id = $1 AND n.id = $2`,
        [departmentId, notificationId],
      );
      const settings = rows[0] ? await loadSettings(em, departmentId) : undefined;
      return rows[0] && settings ? { row: rows[0], smtp: settings.smtp } : undefined;
    });
    if (!loaded) return 'missing';
    const { row, smtp } = loaded;
    if (row.state !== 'pending') return row.state;
    const channel = this.channels.get(row.channel);
    const started = Date.now();
    let error: string | undefined;
    try {
      if (!channel) throw new DeliveryError(`no channel ${row.channel}`);
      await channel.deliver({
        notificationId,
        departmentId,
        body: row.body,
        smtp,
        endpoint: {
          id: row.endpoint_id,
          channel: row.channel as 'webhook' | 'email',
          url: row.url ?? undefined,
          email: row.email ?? undefined,
          secret: row.secret_ciphertext
            ? this.cipher.decrypt(row.secret_ciphertext, endpointSecretAad(departmentId, row.endpoint_id))
            : undefined,
        },
      });
    } catch (err) {
      error = err instanceof DeliveryError ? err.message : 'delivery error';
    }
    const outcome = error ? (last ? 'failed' : 'retry') : 'delivered';
    await tenantTransaction(this.dataSource, departmentId, async (em) => {
      // Attempts are numbered by the notification's own count (a job retried by ops starts its count again).
      const [updated]: [Array<{ attempts: number }>, number] = await em.query(
        `UPDATE notification SET attempts = attempts + 1, last_error = $3,
           state = CASE WHEN $4 = 'delivered' THEN 'delivered' WHEN $4 = 'failed' THEN 'failed' ELSE state END,
           delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE delivered_at END,
           failed_at = CASE WHEN $4 = 'failed' THEN now() ELSE failed_at END
         WHERE department_id = $1 AND id = $2 RETURNING attempts`,
        [departmentId, notificationId, error ?? null, outcome],
      );
      await em.query(
        `INSERT INTO notification_attempt (department_id, notification_id, attempt, outcome, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          departmentId,
          notificationId,
          updated[0]?.attempts ?? attempt,
          error ? 'failed' : 'delivered',
          error ?? null,
          Date.now() - started,
        ],
      );
    });
    this.metrics.deliveries.inc({ channel: row.channel, outcome });
    if (error) throw new DeliveryError(error);
    return 'delivered';
  }
}
