import { migrateService } from '@cit/service-kit';
import { followupService } from './followup.definition';

migrateService(followupService).catch((err: Error) => {
  process.stderr.write(`followup migrate failed: ${err.message}\n`);
  process.exit(1);
});
