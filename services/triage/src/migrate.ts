import { migrateService } from '@cit/service-kit';
import { triageService } from './triage.definition';

migrateService(triageService).catch((err: Error) => {
  process.stderr.write(`triage migrate failed: ${err.message}\n`);
  process.exit(1);
});
