import { bootstrapService } from '@cit/service-kit';
import { conferenceService } from './conference.definition';
import { ConferenceModule } from './conference.module';

void bootstrapService(conferenceService, ConferenceModule);
