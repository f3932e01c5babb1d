import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PartnerOnly, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { z } from 'zod';
import { ListDeliveriesService } from './list-deliveries.service';

const agencyQuerySchema = z.strictObject({
  agencyId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
});

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('v1')
export class ListDeliveriesController {
  constructor(private readonly deliveries: ListDeliveriesService) {}

  @Get('webhook-deliveries')
  @Roles('coordinator', 'supervisor', 'admin', 'ops')
  @ApiQuery({ name: 'agencyId', required: false })
  list(@Query(new ZodValidationPipe(agencyQuerySchema)) q: { agencyId?: string }, @CurrentPrincipal() p: Principal) {
    return this.deliveries.list(p, q.agencyId);
  }

  @Get('partner/webhook-deliveries')
  @PartnerOnly()
  listOwn(@CurrentPrincipal() p: Principal) {
    return this.deliveries.list(p);
  }

  /** Alerts: no candidate left (supervisor), SLA breaches (coordinator), disabled webhooks (agency, ops). */
  @Get('alerts')
  @Roles('coordinator', 'supervisor', 'admin', 'ops')
  alerts(@CurrentPrincipal() p: Principal) {
    return this.deliveries.alerts(p);
  }

  @Get('partner/alerts')
  @PartnerOnly()
  partnerAlerts(@CurrentPrincipal() p: Principal) {
    return this.deliveries.alerts(p);
  }
}
