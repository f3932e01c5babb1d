import { bootstrapService } from '@cit/service-kit';
import { followupService } from './followup.definition';
import { FollowupModule } from './followup.module';

void bootstrapService(followupService, FollowupModule);
