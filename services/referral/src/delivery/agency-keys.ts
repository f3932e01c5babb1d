import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FieldCipher, type PhiBinding } from '@cit/persistence';
import type { EntityManager } from 'typeorm';

/**
 * Per-agency delivery keys. PHI on the agency's topic and webhooks travels as FieldCipher
 * tokens under the agency's own key (key id agency-<agencyId>), which the agency fetches once
 * over its authenticated API; the key is stored encrypted under the platform's key ring.
 * AAD of a value: referral.<field>:<referralId>.
 */
@Injectable()
export class AgencyKeys {
  private readonly ciphers = new Map<string, FieldCipher>();

  constructor(private readonly platform: FieldCipher) {}

  static keyId(agencyId: string): string {
    return `agency-${agencyId}`.slice(0, 64);
  }

  /** The agency's key (created on first use), base64. */
  async key(em: EntityManager, departmentId: string, agencyId: string): Promise<string> {
    const key = await this.findKey(em, departmentId, agencyId);
    if (key === undefined) throw new Error('unknown partner agency');
    return key;
  }

  /** The agency's key (created on first use), base64; undefined when the department has no such agency. */
  async findKey(em: EntityManager, departmentId: string, agencyId: string): Promise<string | undefined> {
    const aad: PhiBinding = {
      departmentId,
      table: 'partner_agency',
      column: 'delivery_key_ciphertext',
      rowId: agencyId,
      legacyAad: `partner_agency.delivery_key:${departmentId}:${agencyId}`,
    };
    const rows = (await em.query(
      `UPDATE partner_agency SET delivery_key_ciphertext = COALESCE(delivery_key_ciphertext, $3)
        WHERE department_id = $1 AND id = $2 RETURNING delivery_key_ciphertext`,
      [departmentId, agencyId, this.platform.encrypt(randomBytes(32).toString('base64'), aad)],
    )) as [{ delivery_key_ciphertext: string }[], number];
    const token = rows[0]?.[0]?.delivery_key_ciphertext;
    return token ? this.platform.decrypt(token, aad) : undefined;
  }

  async cipher(em: EntityManager, departmentId: string, agencyId: string): Promise<FieldCipher> {
    const cacheKey = `${departmentId}\u0000${agencyId}`;
    let cipher = this.ciphers.get(cacheKey);
    if (!cipher) {
      const kid = AgencyKeys.keyId(agencyId);
      const key = Buffer.from(await this.key(em, departmentId, agencyId), 'base64');
      cipher = FieldCipher.fromConfig({ keys: new Map([[kid, key]]), activeKeyId: kid });
      this.ciphers.set(cacheKey, cipher);
    }
    return cipher;
  }
}
