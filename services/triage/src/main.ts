import { bootstrapService } from '@cit/service-kit';
import { triageService } from './triage.definition';
import { TriageModule } from './triage.module';

void bootstrapService(triageService, TriageModule);
