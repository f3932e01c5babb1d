import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { REFERRAL_OPTIONS, type ReferralOptions } from '../../referral-options';
import { AgencyKeys } from '../agency-keys';
import { DeliveryStore } from '../delivery.store';
import { secretAad } from '../webhook-dispatcher';
import { newWebhookSecret } from '../webhook-signature';
import type { RegisterWebhookRequest } from './manage-webhook.request';

/** A partner's own webhook endpoint: register (re-enables), rotate the secret, read its state. */
@Injectable()
export class ManageWebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly agencyKeys: AgencyKeys,
    @Inject(REFERRAL_OPTIONS) private readonly options: ReferralOptions,
  ) {}

  /** Sets the URL with a new secret (shown once) and enables the endpoint. */
  async register(body: RegisterWebhookRequest, p: Principal) {
    const secret = newWebhookSecret();
    const dept = p.departmentId;
    const agency = p.agencyId!;
    await tenantTransaction(this.dataSource, dept, (em) =>
      em.query(
        `INSERT INTO webhook_endpoint (department_id, agency_id, url, secret_ciphertext, enabled)
         VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (department_id, agency_id) DO UPDATE SET url = EXCLUDED.url, secret_ciphertext = EXCLUDED.secret_ciphertext,
           previous_secret_ciphertext = NULL, previous_valid_until = NULL, enabled = true, failing_since = NULL,
           disabled_at = NULL, updated_at = now()`,
        [dept, agency, body.url, this.cipher.encrypt(secret, secretAad(dept, agency, 'current'))],
      ),
    );
    return { url: body.url, secret, enabled: true };
  }

  /** A new secret; the previous one keeps signing (both signatures sent) until previousValidUntil. */
  async rotate(p: Principal) {
    const dept = p.departmentId;
    const agency = p.agencyId!;
    const secret = newWebhookSecret();
    const until = new Date(Date.now() + this.options.secretRotationOverlapMs);
    await tenantTransaction(this.dataSource, dept, async (em) => {
      const endpoint = await DeliveryStore.endpoint(em, dept, agency, true);
      if (!endpoint)
        throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'no webhook endpoint registered');
      const current = this.cipher.decrypt(endpoint.secret_ciphertext, secretAad(dept, agency, 'current'));
      await em.query(
        `UPDATE webhook_endpoint SET secret_ciphertext = $3, previous_secret_ciphertext = $4, previous_valid_until = $5,
                updated_at = now() WHERE department_id = $1 AND agency_id = $2`,
        [
          dept,
          agency,
          this.cipher.encrypt(secret, secretAad(dept, agency, 'current')),
          this.cipher.encrypt(current, secretAad(dept, agency, 'previous')),
          until,
        ],
      );
    });
    return { secret, previousValidUntil: until.toISOString() };
  }

  async get(p: Principal) {
    const e = await tenantTransaction(this.dataSource, p.departmentId, (em) =>
      DeliveryStore.endpoint(em, p.departmentId, p.agencyId!),
    );
    if (!e) throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'no webhook endpoint registered');
    return {
      url: e.url,
      enabled: e.enabled,
      failingSince: e.failing_since,
      disabledAt: e.disabled_at,
      previousSecretValidUntil: e.previous_valid_until,
    };
  }

  /** The agency's delivery key: PHI values on its topic and webhooks are FieldCipher tokens under it. */
  async deliveryKey(p: Principal) {
    const key = await tenantTransaction(this.dataSource, p.departmentId, (em) =>
      this.agencyKeys.findKey(em, p.departmentId, p.agencyId!),
    );
    // A valid partner token for an agency the department's directory does not (or no longer) list.
    if (key === undefined) throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'no such partner agency');
    return {
      keyId: AgencyKeys.keyId(p.agencyId!),
      key,
      algorithm: 'AES-256-GCM envelope (enc:v1 tokens, @cit/persistence FieldCipher)',
      aad: 'referral.<field>:<referralId>',
    };
  }
}
