import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import {
  createSeriesExample,
  createSeriesRequestSchema,
  type CreateSeriesRequest,
} from './create-series/create-series.request';
import { CreateSeriesService } from './create-series/create-series.service';
import { endSeriesRequestSchema, type EndSeriesRequest } from './end-series/end-series.request';
import { EndSeriesService } from './end-series/end-series.service';
import { listSeriesQuerySchema, type ListSeriesQuery } from './read-series/read-series.query';
import { ReadSeriesService } from './read-series/read-series.service';
import { SERIES_READERS } from './series-access';
import {
  updateSeriesExample,
  updateSeriesRequestSchema,
  type UpdateSeriesRequest,
} from './update-series/update-series.request';
import { UpdateSeriesService } from './update-series/update-series.service';

@ApiTags('series')
@ApiBearerAuth()
@Controller('v1/series')
export class SeriesController {
  constructor(
    private readonly creating: CreateSeriesService,
    private readonly updating: UpdateSeriesService,
    private readonly ending: EndSeriesService,
    private readonly reading: ReadSeriesService,
  ) {}

  /** Creates a series and its sessions up to the department's horizon. */
  @Post()
  @Roles('admin')
  @ApiZodBody(createSeriesRequestSchema, createSeriesExample)
  @ApiResponse({ status: 201, description: 'The series, with how many sessions were generated' })
  @ApiResponse({
    status: 400,
    description:
      'problem+json naming each invalid field (rrule with the parser reason, members.0.agencyId, timeZone ...)',
  })
  @ApiResponse({
    status: 409,
    description: 'The department has no conference settings yet (conference-settings-missing)',
  })
  create(
    @Body(new ZodValidationPipe(createSeriesRequestSchema)) body: CreateSeriesRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.creating.create(body, principal);
  }

  /** The department's series (a partner: those its agency is a member of). */
  @Get()
  @Roles(...SERIES_READERS)
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'ended'] })
  list(
    @Query(new ZodValidationPipe(listSeriesQuerySchema)) query: ListSeriesQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.reading.list(query, principal);
  }

  @Get(':id')
  @Roles(...SERIES_READERS)
  @ApiResponse({ status: 404, description: 'No such series, or the partner is not a member' })
  get(@IdParam('id', 'ser') id: string, @CurrentPrincipal() principal: Principal) {
    return this.reading.get(id, principal);
  }

  /** Edits the series; the edit applies to its future sessions (see the README). */
  @Patch(':id')
  @Roles('admin')
  @ApiZodBody(updateSeriesRequestSchema, updateSeriesExample)
  @ApiResponse({ status: 200, description: 'The series, with the sessions created, updated and cancelled' })
  @ApiResponse({ status: 409, description: 'expectedVersion is stale (series-version-conflict) or the series ended' })
  update(
    @IdParam('id', 'ser') id: string,
    @Body(new ZodValidationPipe(updateSeriesRequestSchema)) body: UpdateSeriesRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.updating.update(id, body, principal);
  }

  /** Ends the series: its future sessions are cancelled and their cases move. */
  @Post(':id/end')
  @HttpCode(200)
  @Roles('admin')
  @ApiZodBody(endSeriesRequestSchema, { reason: 'merged into the CCIT conference' })
  end(
    @IdParam('id', 'ser') id: string,
    @Body(new ZodValidationPipe(endSeriesRequestSchema)) body: EndSeriesRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.ending.end(id, body, principal);
  }
}
