import { Module } from '@nestjs/common';
import { AgendaModule } from '../agenda/agenda.module';
import { GetAttendanceController } from '../attendance/get-attendance/get-attendance.http.controller';
import { GetAttendanceService } from '../attendance/get-attendance/get-attendance.service';
import { RecordAttendanceController } from '../attendance/record-attendance/record-attendance.http.controller';
import { RecordAttendanceService } from '../attendance/record-attendance/record-attendance.service';
import { TrainingRosterController } from '../attendance/training-roster/training-roster.http.controller';
import { TrainingRosterService } from '../attendance/training-roster/training-roster.service';
import { CompleteActionItemController } from './complete-action-item/complete-action-item.http.controller';
import { CompleteActionItemService } from './complete-action-item/complete-action-item.service';
import { ListOutcomesController } from './list-outcomes/list-outcomes.http.controller';
import { ListOutcomesService } from './list-outcomes/list-outcomes.service';
import { RecordOutcomeController } from './record-outcome/record-outcome.http.controller';
import { RecordOutcomeService } from './record-outcome/record-outcome.service';

/**
 * Outcomes of discussed cases with their action items, session attendance for every series
 * kind and the cross-training roster (attendance lives in its own folder, served from here).
 */
@Module({
  imports: [AgendaModule],
  controllers: [
    RecordOutcomeController,
    ListOutcomesController,
    CompleteActionItemController,
    RecordAttendanceController,
    GetAttendanceController,
    TrainingRosterController,
  ],
  providers: [
    RecordOutcomeService,
    ListOutcomesService,
    CompleteActionItemService,
    RecordAttendanceService,
    GetAttendanceService,
    TrainingRosterService,
  ],
})
export class OutcomesModule {}
