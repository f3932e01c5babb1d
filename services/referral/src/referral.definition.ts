import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import { ReferralTenancy1732700000310 } from './migrations/1732700000310-referral-tenancy';
import type { ServiceDefinition } from '@cit/service-kit';
import { PartnerAgencyEntity } from './partner-directory/partner-agency.entity';
import { ReferralInitial1732700000300 } from './migrations/1732700000300-referral-initial';

/** Partner directory (HSDS 3.1), MOUs, referrals and deliveries to partner agencies. */
export const referralService: ServiceDefinition = {
  name: 'referral',
  defaultPort: 3003,
  title: 'CIT Platform — referral routing',
  description: 'Partner directory (HSDS 3.1), MOUs, referrals and deliveries to partner agencies.',
  entities: [PartnerAgencyEntity, ...messagingEntities],
  migrations: [
    MessagingTables1732700000000,
    MessagingOutboxStatus1764633600000,
    MessagingTenancy1764806400000,
    ReferralInitial1732700000300,
    ReferralTenancy1732700000310,
  ],
};
