import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import type { FastifyRequest } from 'fastify';
import { CALENDARS_OPTIONS, type CalendarsOptions } from '../calendars-options';
import {
  createCalendarFeedExample,
  createCalendarFeedRequestSchema,
  type CreateCalendarFeedRequest,
} from './manage-feeds.request';
import { ManageFeedsService } from './manage-feeds.service';

@ApiTags('calendar feeds')
@ApiBearerAuth()
@Controller('v1/calendar-feeds')
export class ManageFeedsController {
  constructor(
    private readonly feeds: ManageFeedsService,
    @Inject(CALENDARS_OPTIONS) private readonly options: CalendarsOptions,
  ) {}

  /** Creates a feed token; the answer carries the secret feed URL, shown this once. */
  @Post()
  @Roles('coordinator', 'supervisor', 'admin', 'partner')
  @ApiZodBody(createCalendarFeedRequestSchema, createCalendarFeedExample)
  @ApiResponse({ status: 201, description: 'The feed, with its token, path and url (never shown again)' })
  @ApiResponse({ status: 400, description: 'problem+json naming the invalid field (unknown series or agency)' })
  @ApiResponse({ status: 403, description: "A partner asked for a feed other than its own agency's" })
  @ApiResponse({ status: 409, description: 'The series or agency already has the most active feeds allowed' })
  async create(
    @Body(new ZodValidationPipe(createCalendarFeedRequestSchema)) body: CreateCalendarFeedRequest,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
  ) {
    const created = await this.feeds.create(body, principal);
    const origin = this.options.publicBaseUrl ?? `${req.protocol}://${req.host}`;
    return { ...created, url: `${origin}${created.path}` };
  }

  /** Active feeds of the department (a partner: its own agency's), without their tokens. */
  @Get()
  @Roles('coordinator', 'supervisor', 'admin', 'partner')
  list(@CurrentPrincipal() principal: Principal) {
    return this.feeds.list(principal);
  }

  /** Revokes a feed: its URL answers 404 from now on. */
  @Delete(':id')
  @Roles('coordinator', 'supervisor', 'admin', 'partner')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiResponse({ status: 404, description: 'No active feed with this id (or not this agency’s)' })
  revoke(@IdParam('id', 'cfd') id: string, @CurrentPrincipal() principal: Principal) {
    return this.feeds.revoke(id, principal);
  }
}
