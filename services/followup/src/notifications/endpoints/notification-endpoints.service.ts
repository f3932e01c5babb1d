import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { endpointSecretAad } from '../deliver-notification.service';
import type { CreateNotificationEndpointRequest } from './notification-endpoints.request';

/** Webhook and email endpoints per target; webhook secrets are stored encrypted and never returned. */
@Injectable()
export class NotificationEndpointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  async create(principal: Principal, req: CreateNotificationEndpointRequest) {
    const id = newId('nep');
    await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `INSERT INTO notification_endpoint (id, department_id, target_type, target_id, channel, url, secret_ciphertext, email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          id,
          principal.departmentId,
          req.target.type,
          req.target.id,
          req.channel,
          req.channel === 'webhook' ? req.url : null,
          req.channel === 'webhook'
            ? this.cipher.encrypt(req.secret, endpointSecretAad(principal.departmentId, id))
            : null,
          req.channel === 'email' ? req.email : null,
        ],
      ),
    );
    return { id, channel: req.channel, target: req.target };
  }

  async list(principal: Principal) {
    const rows: Array<{
      id: string;
      channel: string;
      target_type: string;
      target_id: string;
      url: string | null;
      email: string | null;
    }> = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `SELECT id, channel, target_type, target_id, url, email FROM notification_endpoint
           WHERE department_id = $1 ORDER BY id LIMIT 500`,
        [principal.departmentId],
      ),
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        target: { type: r.target_type, id: r.target_id },
        ...(r.url ? { url: r.url } : {}),
        ...(r.email ? { email: r.email } : {}),
      })),
    };
  }
}
