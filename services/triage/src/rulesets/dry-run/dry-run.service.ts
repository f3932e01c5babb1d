import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { decide } from '../../decisions/domain/decide';
import { ProgramSettingsService } from '../../program/program-settings.service';
import { RulesetStore } from '../ruleset-store.service';
import { rulesetNotFound } from '../ruleset-version.param';
import type { DryRunRequest } from './dry-run.request';

/** Runs a ruleset version over sample incidents under the department's program settings; stores nothing. */
@Injectable()
export class DryRunService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: RulesetStore,
    private readonly program: ProgramSettingsService,
  ) {}

  async run(principal: Principal, version: number, body: DryRunRequest) {
    const departmentId = principal.departmentId;
    const { ruleset, settings } = await tenantTransaction(this.dataSource, departmentId, async (em) => ({
      ruleset: await this.store.find(em, departmentId, version),
      settings: (await this.program.get(em, departmentId)).settings,
    }));
    if (!ruleset) throw rulesetNotFound();
    return {
      version,
      programModel: settings.model,
      decisions: body.incidents.map((s, index) => {
        const outcome = decide({
          incident: {
            callType: s.callType,
            disposition: s.disposition ?? null,
            district: s.district ?? null,
            encounter: s.encounter,
            source: s.source,
            relatedTo: s.behavioralHealth.relatedTo,
            observations: s.behavioralHealth.observations,
            suspectedUsing: s.behavioralHealth.suspectedUsing,
            subjectCount: s.subjectCount ?? (s.subject ? 1 : 0),
            subject: s.subject
              ? {
                  personId: s.subject.personKnown ? 'sample' : null,
                  language: s.subject.language,
                  flags: s.subject.flags,
                }
              : null,
          },
          settings,
          ruleset,
          crisisPlanOnFile: s.crisisPlanOnFile,
          repeatContactRuleMet: s.repeatContactRuleMet,
        });
        const { needsFollowUp, ...decision } = outcome;
        return { index, label: s.label ?? null, ...decision, opensOrJoinsCase: needsFollowUp };
      }),
    };
  }
}
