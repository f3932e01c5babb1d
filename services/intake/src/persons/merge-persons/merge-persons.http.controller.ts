import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import {
  mergePersonsRequestSchema,
  undoPersonMergeRequestSchema,
  type MergePersonsRequest,
  type UndoPersonMergeRequest,
} from './merge-persons.request';
import { MergePersonsService } from './merge-persons.service';
import { personMergeUndone, personsMerged } from '../../audit/intake-audit';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('v1/persons')
export class MergePersonsController {
  constructor(private readonly service: MergePersonsService) {}

  @Post(':id/merge')
  @HttpCode(HttpStatus.OK)
  @Roles('supervisor', 'admin')
  @ApiZodBody(mergePersonsRequestSchema, {
    intoPersonId: 'per_0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    reason: 'Same person: DOB typo in 2021 report',
  })
  @ApiResponse({ status: 200, description: 'Merged; the subjects moved are listed so the merge can be undone' })
  @ApiResponse({ status: 404, description: 'Either person is not in the caller’s department' })
  @ApiResponse({ status: 409, description: 'Either person was already merged away' })
  @AuditWrite(personsMerged)
  merge(
    @IdParam('id') id: string,
    @Body(new ZodValidationPipe(mergePersonsRequestSchema)) body: MergePersonsRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.service.merge(id, body, principal);
  }

  @Post('merges/:mergeId/undo')
  @HttpCode(HttpStatus.OK)
  @Roles('supervisor', 'admin')
  @ApiZodBody(undoPersonMergeRequestSchema, { reason: 'Different people: twins' })
  @ApiResponse({ status: 200, description: 'Undone; exactly the recorded subjects moved back' })
  @ApiResponse({ status: 404, description: 'No such merge in the caller’s department' })
  @ApiResponse({ status: 409, description: 'Already undone, or the target was merged again later' })
  @AuditWrite(personMergeUndone)
  undo(
    @IdParam('mergeId') mergeId: string,
    @Body(new ZodValidationPipe(undoPersonMergeRequestSchema)) body: UndoPersonMergeRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.service.undo(mergeId, body, principal);
  }
}
