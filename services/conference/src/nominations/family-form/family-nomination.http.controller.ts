import { Body, Controller, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@cit/auth';
import { problemType } from '@cit/contracts';
import { ApiZodBody, ProblemException, ProblemType, ZodValidationPipe } from '@cit/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FamilyFormRateLimiter } from './family-form-rate-limiter';
import {
  familyNominationRequestSchema,
  PUBLIC_DEPARTMENT_ID,
  type FamilyNominationRequest,
} from './family-nomination.request';
import { FamilyNominationService } from './family-nomination.service';

@ApiTags('public')
@Controller('v1/public/departments')
export class FamilyNominationController {
  constructor(
    private readonly nominations: FamilyNominationService,
    private readonly limiter: FamilyFormRateLimiter,
  ) {}

  /**
   * A family member asks the program to look at a loved one's situation. Rate limited per
   * client and per department; the answer never says whether the person is known.
   */
  @Post(':departmentId/nominations')
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiZodBody(familyNominationRequestSchema, {
    personName: 'Sam Example',
    approximateAge: 34,
    concern: 'My brother has stopped eating and talks about not wanting to live.',
    relationship: 'sibling',
    callbackContact: '617-555-0142',
  })
  @ApiResponse({ status: 202, description: 'Received (the same answer whether or not the person is known)' })
  @ApiResponse({ status: 404, description: 'No such department, or its family form is off' })
  @ApiResponse({ status: 429, description: 'Too many submissions; Retry-After says when to try again' })
  async submit(
    @Param('departmentId') departmentId: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @Body() body: unknown,
  ) {
    if (!PUBLIC_DEPARTMENT_ID.test(departmentId)) {
      throw new ProblemException(ProblemType.notFound, HttpStatus.NOT_FOUND, 'Not found', 'No such form.');
    }
    // The limit is taken before the body is even validated: a flood of bad bodies is a flood too.
    const verdict = await this.limiter.take(departmentId, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (verdict.limited) {
      void res.header('retry-after', String(verdict.retryAfterSeconds));
      throw new ProblemException(
        problemType('rate-limited'),
        HttpStatus.TOO_MANY_REQUESTS,
        'Too many submissions',
        `Try again in ${verdict.retryAfterSeconds} seconds.`,
      );
    }
    const request: FamilyNominationRequest = new ZodValidationPipe(familyNominationRequestSchema).transform(body);
    return this.nominations.submit(departmentId, request);
  }
}
