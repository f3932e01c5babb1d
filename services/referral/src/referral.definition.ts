import { AuditLogTables1764979200000 } from '@cit/audit';
import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import type { ServiceDefinition } from '@cit/service-kit';
import { ReferralInitial1732700000300 } from './migrations/1732700000300-referral-initial';
import { ReferralTenancy1732700000310 } from './migrations/1732700000310-referral-tenancy';
import { ReferralRouting1764979200300 } from './migrations/1764979200300-referral-routing';
import { PartnerAgencyEntity } from './partner-directory/partner-agency.entity';

/** Partner directory (HSDS 3.1), MOUs, referrals and deliveries to partner agencies. */
export const referralService: ServiceDefinition = {
  name: 'referral',
  defaultPort: 3003,
  title: 'CIT Platform — referral routing',
  description:
    'Partner directory (HSDS 3.1) with capacity, MOUs, routing with explainable scores, legal basis and minimum ' +
    'necessary per recipient, delivery on the agency topic, signed webhooks and a pull API, FHIR Task lifecycle, ' +
    'SLA re-routing and the accounting of disclosures.',
  entities: [PartnerAgencyEntity, ...messagingEntities],
  migrations: [
    MessagingTables1732700000000,
    MessagingOutboxStatus1764633600000,
    MessagingTenancy1764806400000,
    ReferralInitial1732700000300,
    ReferralTenancy1732700000310,
    AuditLogTables1764979200000,
    ReferralRouting1764979200300,
  ],
  // The PHI access audit and the accounting of disclosures: read and append only.
  appendOnlyTables: ['audit_log', 'disclosure'],
};
