import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { createIncidentExample, createIncidentRequestSchema, type CreateIncidentRequest } from '@cit/contracts';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import type { Response } from 'express';
import { GetIncidentService } from '../get-incident/get-incident.service';
import { CreateIncidentService } from './create-incident.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class CreateIncidentController {
  constructor(
    private readonly createIncident: CreateIncidentService,
    private readonly getIncident: GetIncidentService,
  ) {}

  @Post()
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @ApiZodBody(createIncidentRequestSchema, createIncidentExample)
  @ApiResponse({ status: 201, description: 'Incident recorded; cit.incident.reported.v1 emitted' })
  @ApiResponse({ status: 200, description: 'The CAD call was already recorded; the existing incident, no new event' })
  @ApiResponse({ status: 400, description: 'problem+json naming each invalid field' })
  async create(
    @Body(new ZodValidationPipe(createIncidentRequestSchema)) body: CreateIncidentRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.createIncident.create(body, principal);
    res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    res.location(`/v1/incidents/${result.incidentId}`);
    return this.getIncident.get(result.incidentId, principal);
  }
}
