import { migrateService } from '@cit/service-kit';
import { conferenceService } from './conference.definition';

migrateService(conferenceService).catch((err: Error) => {
  process.stderr.write(`conference migrate failed: ${err.message}\n`);
  process.exit(1);
});
