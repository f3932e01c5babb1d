import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { AgencyStore } from '../../agencies/agency.store';
import { ConferenceSettingsStore } from '../../settings/conference-settings.store';
import { settingsMissing } from '../../settings/settings.problems';
import { actorOf } from '../actor';
import { requestChangeContext } from '../change-context';
import { nextOccurrence, normalizeWallClock, parseSeriesRule, wallClockToInstant } from '../domain/recurrence';
import { SessionHorizonService } from '../horizon/session-horizon.service';
import { unknownAgencies } from '../series.problems';
import type { SeriesRecord } from '../series.record';
import { SeriesStore } from '../series.store';
import { seriesView } from '../series.view';
import type { CreateSeriesRequest } from './create-series.request';

/** A rule must have an occurrence within this many years of the first occurrence. */
const FIRST_OCCURRENCE_WITHIN_YEARS = 2;

/** 400 naming rrule when the rule never recurs (soon enough) from the first occurrence. */
export function assertRecurs(rrule: string, firstOccurrence: string, timeZone: string): void {
  const check = parseSeriesRule(rrule);
  if (!check.ok) throw new RequestValidationError([{ field: 'rrule', detail: `invalid RRULE: ${check.reason}` }]);
  const start = wallClockToInstant(firstOccurrence, timeZone);
  const spec = { rule: check.rule, firstOccurrence, timeZone };
  if (!nextOccurrence(spec, new Date(start.getTime() - 1), FIRST_OCCURRENCE_WITHIN_YEARS)) {
    throw new RequestValidationError([
      {
        field: 'rrule',
        detail: `invalid RRULE: no occurrence within ${FIRST_OCCURRENCE_WITHIN_YEARS} years of firstOccurrence`,
      },
    ]);
  }
}

@Injectable()
export class CreateSeriesService {
  private readonly logger = createLogger('series');

  constructor(
    private readonly dataSource: DataSource,
    private readonly horizon: SessionHorizonService,
  ) {}

  async create(body: CreateSeriesRequest, principal: Principal) {
    const dept = principal.departmentId;
    const id = newId('ser');
    const firstOccurrence = normalizeWallClock(body.firstOccurrence);
    const ctx = requestChangeContext(principal, id);
    const { series, created } = await tenantTransaction(this.dataSource, dept, async (em) => {
      const settings = await ConferenceSettingsStore.load(em, dept);
      if (!settings) throw settingsMissing('creating a series');
      const timeZone = body.timeZone ?? settings.timeZone;
      assertRecurs(body.rrule, firstOccurrence, timeZone);
      const known = await AgencyStore.known(
        em,
        dept,
        body.members.map((m) => m.agencyId),
      );
      const unknown = unknownAgencies(body.members, known);
      if (unknown) throw unknown;
      const now = new Date();
      const record: SeriesRecord = {
        id,
        departmentId: dept,
        kind: body.kind,
        title: body.title,
        rrule: (parseSeriesRule(body.rrule) as { ok: true; rule: { text: string } }).rule.text,
        timeZone,
        firstOccurrence,
        durationMinutes: body.durationMinutes,
        location: body.location ?? null,
        meetingUrl: body.meetingUrl ?? null,
        caseCapacity: body.caseCapacity,
        nominationCutoffHours: body.nominationCutoffHours,
        status: 'active',
        endedAt: null,
        version: 1,
        createdAt: now,
        createdBy: actorOf(principal),
        updatedAt: now,
        updatedBy: actorOf(principal),
        members: body.members,
      };
      await SeriesStore.insert(em, record);
      const created = await this.horizon.extendSeries(em, record, settings.horizonWeeks, ctx, now);
      return { series: (await SeriesStore.get(em, dept, id))!, created };
    });
    this.logger.info({ departmentId: dept, seriesId: id, kind: series.kind, sessions: created }, 'series created');
    return { ...seriesView(series), sessionsGenerated: created };
  }
}
