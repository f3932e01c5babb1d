import { Module } from '@nestjs/common';
import { PrivacyTrailController } from './privacy-trail/privacy-trail.http.controller';
import { PrivacyTrailService } from './privacy-trail/privacy-trail.service';
import { RiskDecisionController } from './risk-decision/risk-decision.http.controller';
import { RiskDecisionService } from './risk-decision/risk-decision.service';

/**
 * The four-filter record (HUB): the table's risk decision (filter 2) and the privacy trail.
 * What a viewer sees is decided in case-view.ts; lead and assisting agencies (filters 3, 4) are
 * recorded by recordPlanningAgencies, which the outcome use case calls.
 */
@Module({
  controllers: [RiskDecisionController, PrivacyTrailController],
  providers: [RiskDecisionService, PrivacyTrailService],
})
export class PrivacyModule {}
