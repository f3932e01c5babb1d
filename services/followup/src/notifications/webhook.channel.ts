import { Webhook } from 'standardwebhooks';
import { DeliveryError, type DeliveryRequest, type NotificationChannel } from './notification-channel';

/**
 * Standard Webhooks delivery: POST the JSON body with webhook-id (the notification id, stable
 * across retries so receivers can de-duplicate), webhook-timestamp and webhook-signature
 * (v1, HMAC-SHA256 over "id.timestamp.body" with the endpoint's whsec_ secret). 2xx = delivered.
 */
export class WebhookChannel implements NotificationChannel {
  readonly channel = 'webhook' as const;

  constructor(private readonly timeoutMs: number) {}

  async deliver({ notificationId, endpoint, body }: DeliveryRequest): Promise<void> {
    if (!endpoint.url || !endpoint.secret) throw new DeliveryError('webhook endpoint without url or secret');
    const payload = JSON.stringify(body);
    const timestamp = new Date();
    const signature = new Webhook(endpoint.secret).sign(notificationId, timestamp, payload);
    let response: Response;
    try {
      response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': notificationId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: payload,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new DeliveryError(`webhook unreachable (${code})`);
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status > 299) throw new DeliveryError(`webhook answered ${response.status}`);
  }
}
