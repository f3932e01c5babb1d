import { bootstrapService } from '@cit/service-kit';
import { followupService } from './followup.definition';
import { FollowupAppModule } from './followup.module';

void bootstrapService(followupService, FollowupAppModule);
