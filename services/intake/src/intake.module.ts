import { Module } from '@nestjs/common';
import { CreateIncidentController } from './incidents/create-incident/create-incident.http.controller';
import { CreateIncidentService } from './incidents/create-incident/create-incident.service';
import { GetIncidentController } from './incidents/get-incident/get-incident.http.controller';
import { GetIncidentService } from './incidents/get-incident/get-incident.service';

@Module({
  controllers: [CreateIncidentController, GetIncidentController],
  providers: [CreateIncidentService, GetIncidentService],
})
export class IntakeModule {}
