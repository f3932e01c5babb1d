import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { PROGRAM_ROLES, SERIES_READERS } from '../series-access';
import { cancelSessionRequestSchema, type CancelSessionRequest } from './cancel-session/cancel-session.request';
import { CancelSessionService } from './cancel-session/cancel-session.service';
import { GetSessionService } from './get-session/get-session.service';
import { listSessionsQuerySchema, type ListSessionsQuery } from './list-sessions/list-sessions.query';
import { ListSessionsService } from './list-sessions/list-sessions.service';
import {
  rescheduleSessionRequestSchema,
  type RescheduleSessionRequest,
} from './reschedule-session/reschedule-session.request';
import { RescheduleSessionService } from './reschedule-session/reschedule-session.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('v1')
export class SessionsController {
  constructor(
    private readonly listing: ListSessionsService,
    private readonly getting: GetSessionService,
    private readonly cancelling: CancelSessionService,
    private readonly rescheduling: RescheduleSessionService,
  ) {}

  /** Sessions of a series starting in [from, to), oldest first, one cursor page at a time. */
  @Get('series/:id/sessions')
  @Roles(...SERIES_READERS)
  @ApiResponse({ status: 200, description: '{ items, nextCursor }' })
  @ApiResponse({ status: 404, description: 'No such series, or the partner is not a member' })
  list(
    @IdParam('id', 'ser') seriesId: string,
    @Query(new ZodValidationPipe(listSessionsQuerySchema)) query: ListSessionsQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.listing.list(seriesId, query, principal);
  }

  @Get('sessions/:id')
  @Roles(...SERIES_READERS)
  @ApiResponse({ status: 404, description: 'No such session, or the partner is not a member of its series' })
  get(@IdParam('id', 'ses') id: string, @CurrentPrincipal() principal: Principal) {
    return this.getting.get(id, principal);
  }

  /** Cancels a future session; its cases move to the next sessions with room. */
  @Post('sessions/:id/cancel')
  @HttpCode(200)
  @Roles(...PROGRAM_ROLES)
  @ApiZodBody(cancelSessionRequestSchema, { reason: 'holiday' })
  @ApiResponse({ status: 409, description: 'The session started, is over or is cancelled (allowed: [])' })
  cancel(
    @IdParam('id', 'ses') id: string,
    @Body(new ZodValidationPipe(cancelSessionRequestSchema)) body: CancelSessionRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cancelling.cancel(id, body, principal);
  }

  /** Moves a future session; its cases stay. */
  @Post('sessions/:id/reschedule')
  @HttpCode(200)
  @Roles(...PROGRAM_ROLES)
  @ApiZodBody(rescheduleSessionRequestSchema, { startsAt: '2026-12-29T10:00' })
  @ApiResponse({ status: 409, description: 'The session started, is over or is cancelled (allowed: [])' })
  reschedule(
    @IdParam('id', 'ses') id: string,
    @Body(new ZodValidationPipe(rescheduleSessionRequestSchema)) body: RescheduleSessionRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.rescheduling.reschedule(id, body, principal);
  }
}
