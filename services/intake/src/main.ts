import { bootstrapService } from '@cit/service-kit';
import { intakeService } from './intake.definition';
import { IntakeModule } from './intake.module';

void bootstrapService(intakeService, IntakeModule);
