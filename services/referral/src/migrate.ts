import { migrateService } from '@cit/service-kit';
import { referralService } from './referral.definition';

migrateService(referralService).catch((err: Error) => {
  process.stderr.write(`referral migrate failed: ${err.message}\n`);
  process.exit(1);
});
