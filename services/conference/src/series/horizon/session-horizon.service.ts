import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgendaScheduler } from '../../agenda/agenda-scheduler';
import { ConferenceSettingsStore } from '../../settings/conference-settings.store';
import { instantToWallClock } from '../domain/recurrence';
import { planHorizon } from '../domain/session-plan';
import type { SeriesRecord } from '../series.record';
import { SeriesStore } from '../series.store';
import { horizonEnd, templateOf } from '../series-template';
import type { ChangeContext } from '../sessions/session-events';
import { SessionStore } from '../sessions/session.store';
import { SessionWriter } from '../sessions/session-writer';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The rolling horizon: every active series has a session for each occurrence up to
 * settings.horizon_weeks ahead. Idempotent: an occurrence that has a session (of any status)
 * never gets a second one (unique series + RECURRENCE-ID).
 */
@Injectable()
export class SessionHorizonService {
  constructor(
    private readonly writer: SessionWriter,
    private readonly scheduler: AgendaScheduler,
  ) {}

  /**
   * Creates the missing sessions of one series up to the horizon and (unless `place` is false,
   * for a caller that places once for many series) places open nominations on them.
   * Returns how many sessions were created.
   */
  async extendSeries(
    em: EntityManager,
    series: SeriesRecord,
    horizonWeeks: number,
    ctx: ChangeContext,
    now = new Date(),
    place = true,
  ): Promise<number> {
    if (series.status !== 'active') return 0;
    // Sessions moved by hand keep their RECURRENCE-ID, so the set is read by that, from a
    // little before now (an occurrence of today may be a few hours behind in local time).
    const from = instantToWallClock(new Date(now.getTime() - 2 * DAY_MS), series.timeZone);
    const existing = await SessionStore.recurrencesFrom(em, series.departmentId, series.id, from);
    const changes = planHorizon(templateOf(series), existing, now, horizonEnd(now, horizonWeeks));
    if (changes.length === 0) return 0;
    const done = await this.writer.apply(em, series, changes, ctx, undefined, { place });
    return done.created.length;
  }

  /**
   * Extends every active series of the department, then places open nominations once if
   * sessions appeared. Without settings there is no horizon (and no series).
   */
  async extendDepartment(em: EntityManager, ctx: ChangeContext, now = new Date()): Promise<number> {
    const settings = await ConferenceSettingsStore.load(em, ctx.departmentId);
    if (!settings) return 0;
    let created = 0;
    for (const id of await SeriesStore.activeIds(em, ctx.departmentId)) {
      const series = await SeriesStore.get(em, ctx.departmentId, id);
      if (series) created += await this.extendSeries(em, series, settings.horizonWeeks, ctx, now, false);
    }
    if (created > 0) await this.scheduler.placeOpenNominations(em, ctx);
    return created;
  }
}
