import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PartnerOnly, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { registerWebhookRequestSchema, type RegisterWebhookRequest } from './manage-webhook.request';
import { ManageWebhookService } from './manage-webhook.service';

@ApiTags('partner API')
@ApiBearerAuth()
@Controller('v1/partner')
export class ManageWebhookController {
  constructor(private readonly webhooks: ManageWebhookService) {}

  /** Registers (or replaces) the agency's webhook URL; answers the whsec_ secret once. */
  @Put('webhook')
  @PartnerOnly()
  @ApiZodBody(registerWebhookRequestSchema)
  register(
    @Body(new ZodValidationPipe(registerWebhookRequestSchema)) body: RegisterWebhookRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.webhooks.register(body, p);
  }

  /** Rotates the secret: both are valid (two signatures per delivery) until previousValidUntil. */
  @Post('webhook/rotate')
  @HttpCode(200)
  @PartnerOnly()
  rotate(@CurrentPrincipal() p: Principal) {
    return this.webhooks.rotate(p);
  }

  @Get('webhook')
  @PartnerOnly()
  get(@CurrentPrincipal() p: Principal) {
    return this.webhooks.get(p);
  }

  @Get('delivery-key')
  @PartnerOnly()
  deliveryKey(@CurrentPrincipal() p: Principal) {
    return this.webhooks.deliveryKey(p);
  }
}
