import type { NotificationBody } from './notification-body';

/** Where a notification goes: a webhook URL with its signing secret, or an email address. */
export interface NotificationEndpoint {
  id: string;
  channel: 'webhook' | 'email';
  url?: string;
  /** Standard Webhooks secret (whsec_…), decrypted only for the delivery. */
  secret?: string;
  email?: string;
}

/** One delivery of one notification. */
export interface DeliveryRequest {
  notificationId: string;
  departmentId: string;
  endpoint: NotificationEndpoint;
  body: NotificationBody;
  smtp?: { host: string; port: number; from: string; secure: boolean } | null;
}

/** The one interface every outbound channel implements; throwing means "not delivered, retry". */
export interface NotificationChannel {
  readonly channel: 'webhook' | 'email';
  deliver(request: DeliveryRequest): Promise<void>;
}

/** A delivery failure whose message is safe to store and show to ops (no body, no address). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}
