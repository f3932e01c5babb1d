import { Body, Controller, Headers, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { createIncidentExample, createIncidentRequestSchema, type CreateIncidentRequest } from '@cit/contracts';
import { FieldCipher } from '@cit/persistence';
import { ApiZodBody, RequestValidationError, ZodValidationPipe } from '@cit/service-kit';
import type { FastifyReply } from 'fastify';
import { GetIncidentService } from '../get-incident/get-incident.service';
import { incidentView } from '../incident.view';
import { CreateIncidentService } from './create-incident.service';
import { incidentReplayRead } from '../../audit/intake-audit';
import { inDepartment } from '../phi-places';
import type { OpenPhi } from '../incident.view';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class CreateIncidentController {
  constructor(
    private readonly createIncident: CreateIncidentService,
    private readonly getIncident: GetIncidentService,
    private readonly cipher: FieldCipher,
  ) {}

  @Post()
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @ApiZodBody(createIncidentRequestSchema, createIncidentExample)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key and body return the first result',
  })
  @ApiResponse({ status: 201, description: 'Incident recorded; cit.incident.reported.v1 emitted' })
  @ApiResponse({
    status: 200,
    description: 'Already recorded (same Idempotency-Key or CAD call number): the existing incident, no new event',
  })
  @ApiResponse({ status: 400, description: 'problem+json naming each invalid field' })
  @ApiResponse({ status: 422, description: 'Idempotency-Key reused with a different body' })
  // A creation is recorded by the service in the group-commit transaction; a replay (200) is a read.
  @AuditInService(incidentReplayRead)
  async create(
    @Body(new ZodValidationPipe(createIncidentRequestSchema)) body: CreateIncidentRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new RequestValidationError([
        { field: 'Idempotency-Key', detail: 'must be 1-200 letters, digits or . _ : -' },
      ]);
    }
    const result = await this.createIncident.create(body, principal, idempotencyKey);
    if (!result.created) {
      void res.status(HttpStatus.OK).header('location', `/v1/incidents/${result.incidentId}`);
      return this.getIncident.get(result.incidentId, principal);
    }
    void res.status(HttpStatus.CREATED).header('location', `/v1/incidents/${result.record.id}`);
    const open: OpenPhi = (v, place) =>
      v === null
        ? undefined
        : (result.plaintext.get(v) ?? this.cipher.decrypt(v, inDepartment(principal.departmentId, place)));
    return { ...incidentView(result.record, open), supplements: [] };
  }
}
