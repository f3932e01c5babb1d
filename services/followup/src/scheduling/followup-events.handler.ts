import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type {
  CaseClosed,
  CaseOpened,
  CaseUpdated,
  CloudEvent,
  ConferenceActionItemClosed,
  ConferenceCaseScheduled,
  ConferenceOutcomeRecorded,
  ConferenceSessionScheduled,
  MouChanged,
  ReferralRequested,
  ReferralStatusChanged,
} from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { CaseContactService } from './case-contact.service';
import { ConferenceRemindersService } from './conference-reminders.service';
import { MouExpiryService } from './mou-expiry.service';
import { ReferralSlaService } from './referral-sla.service';

/**
 * The events followup schedules reminders from. Each runs in the inbox transaction
 * (`ctx.manager`, tenant set from the event): a redelivered event is a duplicate and does nothing.
 * An unknown type or version (cit.case.opened.v2 before followup knows it) never reaches here:
 * the consumer dead-letters it to <topic>.dlq with the reason.
 */
@Controller()
export class FollowupEventsHandler {
  constructor(
    private readonly cases: CaseContactService,
    private readonly referrals: ReferralSlaService,
    private readonly conferences: ConferenceRemindersService,
    private readonly mous: MouExpiryService,
  ) {}

  @EventPattern('cit.case.opened.v1')
  caseOpened(@Payload() event: CloudEvent<CaseOpened>, @Ctx() ctx: InboxContext) {
    return this.cases.opened(ctx.manager, event);
  }

  @EventPattern('cit.case.updated.v1')
  caseUpdated(@Payload() event: CloudEvent<CaseUpdated>, @Ctx() ctx: InboxContext) {
    return this.cases.updated(ctx.manager, event);
  }

  @EventPattern('cit.case.closed.v1')
  caseClosed(@Payload() event: CloudEvent<CaseClosed>, @Ctx() ctx: InboxContext) {
    return this.cases.closed(ctx.manager, event);
  }

  @EventPattern('cit.referral.requested.v1')
  referralRequested(@Payload() event: CloudEvent<ReferralRequested>, @Ctx() ctx: InboxContext) {
    return this.referrals.requested(ctx.manager, event);
  }

  @EventPattern('cit.referral.status-changed.v1')
  referralStatusChanged(@Payload() event: CloudEvent<ReferralStatusChanged>, @Ctx() ctx: InboxContext) {
    return this.referrals.statusChanged(ctx.manager, event);
  }

  @EventPattern('cit.referral.mou-changed.v1')
  mouChanged(@Payload() event: CloudEvent<MouChanged>, @Ctx() ctx: InboxContext) {
    return this.mous.changed(ctx.manager, event);
  }

  @EventPattern('cit.conference.session-scheduled.v1')
  sessionScheduled(@Payload() event: CloudEvent<ConferenceSessionScheduled>, @Ctx() ctx: InboxContext) {
    return this.conferences.sessionScheduled(ctx.manager, event);
  }

  @EventPattern('cit.conference.case-scheduled.v1')
  caseScheduled(@Payload() event: CloudEvent<ConferenceCaseScheduled>, @Ctx() ctx: InboxContext) {
    return this.conferences.caseScheduled(ctx.manager, event);
  }

  @EventPattern('cit.conference.outcome-recorded.v1')
  outcomeRecorded(@Payload() event: CloudEvent<ConferenceOutcomeRecorded>, @Ctx() ctx: InboxContext) {
    return this.conferences.outcomeRecorded(ctx.manager, event);
  }

  @EventPattern('cit.conference.action-item-closed.v1')
  actionItemClosed(@Payload() event: CloudEvent<ConferenceActionItemClosed>, @Ctx() ctx: InboxContext) {
    return this.conferences.actionItemClosed(ctx.manager, event);
  }
}
