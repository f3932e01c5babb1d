import { bootstrapService } from '@cit/service-kit';
import { referralService } from './referral.definition';
import { ReferralModule } from './referral.module';

void bootstrapService(referralService, ReferralModule);
