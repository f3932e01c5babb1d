import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, PersonMerged, PersonUnmerged } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { PersonMovesService } from './person-moves.service';

/** cit.person.merged.v1 / cit.person.unmerged.v1 from intake → case history (and plans, preferences) follow the person. */
@Controller()
export class PersonMergeHandler {
  constructor(private readonly moves: PersonMovesService) {}

  @EventPattern('cit.person.merged.v1')
  async merged(@Payload() event: CloudEvent<PersonMerged>, @Ctx() ctx: InboxContext): Promise<void> {
    await this.moves.merge(ctx.manager, event.data, {
      departmentId: event.departmentid,
      correlationId: event.correlationid,
      causationId: event.id,
    });
  }

  @EventPattern('cit.person.unmerged.v1')
  async unmerged(@Payload() event: CloudEvent<PersonUnmerged>, @Ctx() ctx: InboxContext): Promise<void> {
    await this.moves.unmerge(ctx.manager, event.data, {
      departmentId: event.departmentid,
      correlationId: event.correlationid,
      causationId: event.id,
    });
  }
}
