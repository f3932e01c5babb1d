import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import {
  createNotificationEndpointRequestSchema,
  type CreateNotificationEndpointRequest,
} from './notification-endpoints.request';
import { NotificationEndpointsService } from './notification-endpoints.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notification-endpoints')
export class NotificationEndpointsController {
  constructor(private readonly endpoints: NotificationEndpointsService) {}

  /** Adds a webhook (Standard Webhooks) or email endpoint for a user, unit or agency. */
  @Post()
  @Roles('admin')
  @ApiZodBody(createNotificationEndpointRequestSchema)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodValidationPipe(createNotificationEndpointRequestSchema)) body: CreateNotificationEndpointRequest,
  ) {
    return this.endpoints.create(principal, body);
  }

  @Get()
  @Roles('admin', 'ops', 'ops-admin')
  list(@CurrentPrincipal() principal: Principal) {
    return this.endpoints.list(principal);
  }
}
