import { Module } from '@nestjs/common';
import { ProgramModule } from '../program/program.module';
import { ActivateRulesetController } from './activate-ruleset/activate-ruleset.http.controller';
import { ActivateRulesetService } from './activate-ruleset/activate-ruleset.service';
import { DryRunController } from './dry-run/dry-run.http.controller';
import { DryRunService } from './dry-run/dry-run.service';
import { ListRulesetsController } from './list-rulesets/list-rulesets.http.controller';
import { ListRulesetsService } from './list-rulesets/list-rulesets.service';
import { RulesetStore } from './ruleset-store.service';
import { UploadRulesetController } from './upload-ruleset/upload-ruleset.http.controller';
import { UploadRulesetService } from './upload-ruleset/upload-ruleset.service';

/** Versioned department rulesets: upload (validated), list, read, dry-run, activate. Exports the store to decisions. */
@Module({
  imports: [ProgramModule],
  controllers: [UploadRulesetController, ListRulesetsController, DryRunController, ActivateRulesetController],
  providers: [RulesetStore, UploadRulesetService, ListRulesetsService, DryRunService, ActivateRulesetService],
  exports: [RulesetStore],
})
export class RulesetsModule {}
