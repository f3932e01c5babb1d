import { migrateService } from '@cit/service-kit';
import { intakeService } from './intake.definition';

migrateService(intakeService).catch((err: Error) => {
  process.stderr.write(`intake migrate failed: ${err.message}\n`);
  process.exit(1);
});
