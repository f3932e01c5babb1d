/**
 * The repeat-contact rule ("N incidents in D days") kept per person in constant space: only
 * the N most recent incidents are remembered, so the cost never grows with a person's history.
 * Each incident counts toward at most one nomination ("once per person per window"): a new
 * nomination needs N incidents all later than the newest one of the previous nomination.
 */

export interface RepeatContactRule {
  incidents: number;
  windowDays: number;
}

export interface WindowState {
  /** The most recent incidents, oldest first, at most `rule.incidents` of them. */
  recent: { incidentId: string; at: Date }[];
  /** Newest incident of the last nomination; incidents up to it count no more. */
  nominatedThrough: Date | null;
}

export interface WindowResult {
  state: WindowState;
  /** Set when this incident completes the rule: the incidents that met it, oldest first. */
  nomination: { incidentIds: string[]; windowStartedAt: Date } | null;
  /** The rule is met with this incident (whether or not a nomination is new). */
  ruleMet: boolean;
}

const DAY_MS = 86_400_000;

export function recordIncident(
  state: WindowState,
  incident: { incidentId: string; at: Date },
  rule: RepeatContactRule,
): WindowResult {
  if (state.recent.some((r) => r.incidentId === incident.incidentId))
    return { state, nomination: null, ruleMet: false };
  const recent = [...state.recent, incident]
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.incidentId.localeCompare(b.incidentId))
    .slice(-rule.incidents);
  const next: WindowState = { recent, nominatedThrough: state.nominatedThrough };
  const counts = recent.length === rule.incidents && recent.includes(incident);
  const oldest = recent[0];
  const newest = recent[recent.length - 1];
  const ruleMet = counts && newest.at.getTime() - oldest.at.getTime() <= rule.windowDays * DAY_MS;
  if (!ruleMet) return { state: next, nomination: null, ruleMet: false };
  if (state.nominatedThrough && oldest.at.getTime() <= state.nominatedThrough.getTime())
    return { state: next, nomination: null, ruleMet: true };
  return {
    state: { recent, nominatedThrough: newest.at },
    nomination: { incidentIds: recent.map((r) => r.incidentId), windowStartedAt: oldest.at },
    ruleMet: true,
  };
}
