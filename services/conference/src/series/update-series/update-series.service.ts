import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { AgencyStore } from '../../agencies/agency.store';
import { ConferenceSettingsStore } from '../../settings/conference-settings.store';
import { settingsMissing } from '../../settings/settings.problems';
import { actorOf } from '../actor';
import { requestChangeContext } from '../change-context';
import { assertRecurs } from '../create-series/create-series.service';
import { normalizeWallClock, parseSeriesRule } from '../domain/recurrence';
import { planSeriesChange } from '../domain/session-plan';
import { loadSeriesFor } from '../series-access';
import { seriesEnded, seriesVersionConflict, unknownAgencies } from '../series.problems';
import type { SeriesRecord } from '../series.record';
import { seriesShapeIssues } from '../series.schemas';
import { SeriesStore } from '../series.store';
import { horizonEnd, templateOf } from '../series-template';
import { seriesView } from '../series.view';
import { SessionStore } from '../sessions/session.store';
import { SessionWriter } from '../sessions/session-writer';
import type { UpdateSeriesRequest } from './update-series.request';

function sameMembers(a: SeriesRecord['members'], b: SeriesRecord['members']): boolean {
  const key = (m: SeriesRecord['members']) =>
    m
      .map((x) => `${x.agencyId}:${x.role}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

@Injectable()
export class UpdateSeriesService {
  private readonly logger = createLogger('series');

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: SessionWriter,
  ) {}

  /**
   * Applies an edit to the series and its future sessions in one transaction: occurrences
   * that no longer exist are cancelled (their cases move), changed sessions raise their
   * sequence, new occurrences up to the horizon get sessions; past sessions stay as they were.
   */
  async update(id: string, body: UpdateSeriesRequest, principal: Principal) {
    const dept = principal.departmentId;
    const ctx = requestChangeContext(principal, id);
    const result = await tenantTransaction(this.dataSource, dept, async (em) => {
      const current = await loadSeriesFor(em, principal, id, true);
      if (current.version !== body.expectedVersion) throw seriesVersionConflict(current.version, body.expectedVersion);
      if (current.status === 'ended') throw seriesEnded();
      const settings = await ConferenceSettingsStore.load(em, dept);
      if (!settings) throw settingsMissing('editing a series');
      const next: SeriesRecord = {
        ...current,
        title: body.title ?? current.title,
        rrule: body.rrule
          ? (parseSeriesRule(body.rrule) as { ok: true; rule: { text: string } }).rule.text
          : current.rrule,
        firstOccurrence: body.firstOccurrence ? normalizeWallClock(body.firstOccurrence) : current.firstOccurrence,
        timeZone: body.timeZone ?? current.timeZone,
        durationMinutes: body.durationMinutes ?? current.durationMinutes,
        location: body.location === undefined ? current.location : body.location,
        meetingUrl: body.meetingUrl === undefined ? current.meetingUrl : body.meetingUrl,
        caseCapacity: body.caseCapacity ?? current.caseCapacity,
        nominationCutoffHours: body.nominationCutoffHours ?? current.nominationCutoffHours,
        members: body.members ?? current.members,
      };
      const shape = seriesShapeIssues(next);
      if (shape.length > 0) throw new RequestValidationError(shape.map((i) => ({ field: i.path, detail: i.message })));
      if (body.rrule || body.firstOccurrence || body.timeZone)
        assertRecurs(next.rrule, next.firstOccurrence, next.timeZone);
      if (body.members) {
        const unknown = unknownAgencies(
          body.members,
          await AgencyStore.known(
            em,
            dept,
            body.members.map((m) => m.agencyId),
          ),
        );
        if (unknown) throw unknown;
      }
      const by = actorOf(principal);
      await SeriesStore.update(em, next, by);
      const membersChanged = !sameMembers(current.members, next.members);
      if (membersChanged) await SeriesStore.replaceMembers(em, dept, id, next.members);
      const saved = (await SeriesStore.get(em, dept, id))!;

      const now = new Date();
      const future = await SessionStore.future(em, dept, id, now);
      const changes = planSeriesChange(templateOf(saved), future, now, horizonEnd(now, settings.horizonWeeks));
      const done = await this.writer.apply(em, saved, changes, ctx, 'series-changed');
      if (membersChanged) {
        // Who is invited changed: every other future session is a changed session too.
        const touched = new Set([...done.updated, ...done.cancelled].map((s) => s.id));
        const others = future.filter((s) => s.status === 'scheduled' && !touched.has(s.id));
        const bumped = [];
        for (const s of others) bumped.push(await SessionStore.update(em, dept, s.id, { fields: s }));
        await this.writer.publish(em, saved, bumped, ctx);
        done.updated.push(...bumped);
      }
      return { saved, done };
    });
    this.logger.info(
      {
        departmentId: dept,
        seriesId: id,
        version: result.saved.version,
        created: result.done.created.length,
        updated: result.done.updated.length,
        cancelled: result.done.cancelled.length,
      },
      'series updated',
    );
    return {
      ...seriesView(result.saved),
      sessionsChanged: {
        created: result.done.created.map((s) => s.id),
        updated: result.done.updated.map((s) => s.id),
        cancelled: result.done.cancelled.map((s) => s.id),
      },
    };
  }
}
