import nodemailer from 'nodemailer';
import { DeliveryError, type DeliveryRequest, type NotificationChannel } from './notification-channel';

/** Email over SMTP (nodemailer) through the department's relay; the text carries ids and a link only. */
export class EmailChannel implements NotificationChannel {
  readonly channel = 'email' as const;

  constructor(private readonly timeoutMs: number) {}

  async deliver({ notificationId, endpoint, body, smtp }: DeliveryRequest): Promise<void> {
    if (!endpoint.email) throw new DeliveryError('email endpoint without address');
    if (!smtp) throw new DeliveryError('department has no SMTP relay configured');
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ignoreTLS: !smtp.secure,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
    });
    try {
      await transport.sendMail({
        from: smtp.from,
        to: endpoint.email,
        subject: `CIT follow-up reminder (${body.kind})`,
        messageId: `<${notificationId}@cit-followup>`,
        text: [
          `A ${body.kind} reminder is due (${body.dueAt}).`,
          `Reminder: ${body.reminderId}`,
          ...(body.caseId ? [`Case: ${body.caseId}`] : []),
          ...(body.referralId ? [`Referral: ${body.referralId}`] : []),
          ...(body.sessionId ? [`Session: ${body.sessionId}`] : []),
          `Details after sign-in: ${body.link}`,
        ].join('\n'),
        headers: { 'X-CIT-Notification-Id': notificationId },
      });
    } catch (err) {
      // SMTP reply codes and nodemailer's error codes only: the response text may echo the address.
      const e = err as { responseCode?: number; code?: string };
      throw new DeliveryError(`smtp refused (${e.responseCode ?? e.code ?? 'error'})`);
    } finally {
      transport.close();
    }
  }
}
