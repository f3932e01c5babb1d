import { BadRequestException, Body, Controller, Get, NotFoundException, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { OpsError } from './ops-toolkit';
import {
  deadLetterRefSchema,
  deadLettersQuerySchema,
  failedJobsQuerySchema,
  retryFailedJobsRequestSchema,
  type DeadLetterRef,
  type DeadLettersQuery,
  type FailedJobsQuery,
  type RetryFailedJobsRequest,
} from './ops.request';
import { OpsService } from './ops.service';

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof OpsError)
      throw err.status === 404 ? new NotFoundException(err.message) : new BadRequestException(err.message);
    throw err;
  }
}

/**
 * Ops API (least privilege): the ops role reads failed jobs and dead letters (PHI redacted);
 * retrying jobs and replaying dead letters needs ops-admin. Cross-department by nature: queues
 * and topics hold every department's work, and what is shown is ids and reasons only.
 */
@ApiTags('ops')
@ApiBearerAuth()
@Controller('v1/ops')
export class OpsController {
  constructor(private readonly ops: OpsService) {}

  /** Failed jobs of the reminder and notification queues (ids, reason, attempts). */
  @Get('jobs/failed')
  @Roles('ops', 'ops-admin')
  failed(@Query(new ZodValidationPipe(failedJobsQuerySchema)) q: FailedJobsQuery) {
    return mapped(this.ops.failedJobs(q.queue, q.limit).then((items) => ({ items })));
  }

  @Post('jobs/failed/retry')
  @Roles('ops-admin')
  @ApiZodBody(retryFailedJobsRequestSchema)
  retry(@Body(new ZodValidationPipe(retryFailedJobsRequestSchema)) body: RetryFailedJobsRequest) {
    return mapped(this.ops.retryFailed(body.queue, 'all' in body ? 'all' : body.ids).then((retried) => ({ retried })));
  }

  /** The newest dead letters of <topic>.dlq, PHI redacted. */
  @Get('dead-letters')
  @Roles('ops', 'ops-admin')
  deadLetters(@Query(new ZodValidationPipe(deadLettersQuerySchema)) q: DeadLettersQuery) {
    return mapped(this.ops.listDeadLetters(q.topic, q.limit).then((items) => ({ items })));
  }

  /** One dead letter, PHI redacted. */
  @Get('dead-letters/message')
  @Roles('ops', 'ops-admin')
  deadLetter(@Query(new ZodValidationPipe(deadLetterRefSchema)) q: DeadLetterRef) {
    return mapped(this.ops.inspectDeadLetter(q.topic, q.partition, q.offset));
  }

  /** Sends one dead letter back to its topic; the replay is recorded with who did it. */
  @Post('dead-letters/replay')
  @Roles('ops-admin')
  @ApiZodBody(deadLetterRefSchema)
  replay(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodValidationPipe(deadLetterRefSchema)) body: DeadLetterRef,
  ) {
    return mapped(this.ops.replayDeadLetter(body.topic, body.partition, body.offset, principal.subject));
  }

  /** Recorded replays, newest first. */
  @Get('dead-letters/replays')
  @Roles('ops', 'ops-admin')
  replays() {
    return mapped(this.ops.replays().then((items) => ({ items })));
  }
}
