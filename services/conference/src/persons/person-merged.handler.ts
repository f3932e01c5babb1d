import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, PersonMerged, PersonUnmerged } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { PersonMergeService } from './person-merge.service';

/** cit.person.merged.v1 → nominations and the identity projection follow the surviving person. */
@Controller()
export class PersonMergedHandler {
  constructor(private readonly merges: PersonMergeService) {}

  @EventPattern('cit.person.merged.v1')
  async handle(@Payload() event: CloudEvent<PersonMerged>, @Ctx() ctx: InboxContext): Promise<void> {
    await this.merges.merge(ctx.manager, event.data, {
      departmentId: event.departmentid,
      correlationId: event.correlationid,
      causationId: event.id,
    });
  }
}

/** cit.person.unmerged.v1 → exactly what the merge moved goes back to the restored person. */
@Controller()
export class PersonUnmergedHandler {
  constructor(private readonly merges: PersonMergeService) {}

  @EventPattern('cit.person.unmerged.v1')
  async handle(@Payload() event: CloudEvent<PersonUnmerged>, @Ctx() ctx: InboxContext): Promise<void> {
    await this.merges.unmerge(ctx.manager, event.data, {
      departmentId: event.departmentid,
      correlationId: event.correlationid,
      causationId: event.id,
    });
  }
}
