import { riskLevelSchema, type RiskLevel } from '@cit/contracts';

/** A session as the slotting sees it (times in epoch milliseconds). */
export interface SlotSession {
  id: string;
  startsAt: number;
  /** Nominations close at this instant; a session whose cutoff has passed takes no more cases. */
  cutoffAt: number;
  /** Cases the session takes in all. */
  capacity: number;
  /** Cases already on its agenda (scheduled or discussed). */
  placed: number;
  /** The position the next placed case gets (default placed + 1). */
  nextPosition?: number;
  cancelled: boolean;
  seriesKind: string;
}

export type AgendaItemKind = 'new' | 'status-update';

/** A case waiting for a place on an agenda. */
export interface SlotCandidate {
  nominationId: string;
  riskLevel: RiskLevel;
  /** Since when the case has waited: its verification (or nomination) time, epoch ms. */
  waitingSince: number;
  kind: AgendaItemKind;
  /** The series kind the nominator asked for; sessions of that kind are tried first, then any. */
  preferredKind?: string | null;
  /** Taken off an agenda it was already on (session cancelled, or the session passed without reaching it). */
  displaced?: boolean;
  /** Only sessions starting strictly after this instant (a moved case goes to a session after its cancelled one). */
  after?: number;
}

export interface Placement {
  nominationId: string;
  sessionId: string;
  position: number;
  kind: AgendaItemKind;
}

export interface SlottingResult {
  /** In placement order (priority order). */
  placements: Placement[];
  /** Cases no session had room for: they stay open and are carried over to a later run. */
  unplaced: string[];
}

const RISK_RANK: Record<RiskLevel, number> = Object.fromEntries(
  riskLevelSchema.options.map((level, i) => [level, i]),
) as Record<RiskLevel, number>;

/**
 * Priority of cases: highest risk first; within a risk level, displaced cases (moved from a
 * cancelled session or carried over) before cases not yet on any agenda; then the longest
 * waiting; then the id, so the order is total and the result deterministic. Risk stays first
 * on purpose: an imminent new case is never pushed back by a routine case that was moved.
 */
export function compareCandidates(a: SlotCandidate, b: SlotCandidate): number {
  return (
    RISK_RANK[b.riskLevel] - RISK_RANK[a.riskLevel] ||
    Number(b.displaced ?? false) - Number(a.displaced ?? false) ||
    a.waitingSince - b.waitingSince ||
    (a.nominationId < b.nominationId ? -1 : a.nominationId > b.nominationId ? 1 : 0)
  );
}

/**
 * The sessions of one series kind (or all), in start order, with a "next session with room"
 * pointer per position (union-find with path compression): finding the earliest session with
 * room from any start costs near-constant time, so placing n cases over m sessions is
 * O(n log n + m log m) rather than O(n·m).
 */
class SessionLane {
  readonly members: number[] = [];
  private next: number[] = [];

  add(sessionIndex: number): void {
    this.members.push(sessionIndex);
  }

  seal(): void {
    this.next = Array.from({ length: this.members.length + 1 }, (_, i) => i);
  }

  /** First lane position whose session starts strictly after `after`. */
  firstAfter(after: number | undefined, startsAt: readonly number[]): number {
    if (after === undefined) return 0;
    let lo = 0;
    let hi = this.members.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (startsAt[this.members[mid]!]! > after) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Lane position of the first session with room at or after `from` (members.length: none). */
  find(from: number): number {
    let root = from;
    while (this.next[root] !== root) root = this.next[root]!;
    let p = from;
    while (this.next[p] !== root) {
      const up = this.next[p]!;
      this.next[p] = root;
      p = up;
    }
    return root;
  }

  /** The session at lane position `pos` is full: skip it from now on. */
  close(pos: number): void {
    this.next[pos] = pos + 1;
  }
}

/**
 * Places cases on sessions: each case, in priority order (compareCandidates), goes on the
 * earliest session that is not cancelled, whose cutoff is after `now` and that has room —
 * of its preferred series kind if there is one, otherwise of any kind. Cases already placed
 * are never bumped (members prepared for them). What finds no room is returned unplaced.
 * Pure and deterministic: the same input gives the same output.
 */
export function slotCases(
  sessions: readonly SlotSession[],
  candidates: readonly SlotCandidate[],
  now: number,
): SlottingResult {
  const open = sessions
    .filter((s) => !s.cancelled && s.capacity > 0 && s.cutoffAt > now)
    .sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const startsAt = open.map((s) => s.startsAt);
  const room = open.map((s) => Math.max(0, s.capacity - s.placed));
  const nextPosition = open.map((s) => s.nextPosition ?? s.placed + 1);

  const all = new SessionLane();
  const byKind = new Map<string, SessionLane>();
  const laneOfKind: number[] = [];
  open.forEach((s, i) => {
    all.add(i);
    let lane = byKind.get(s.seriesKind);
    if (!lane) byKind.set(s.seriesKind, (lane = new SessionLane()));
    laneOfKind.push(lane.members.length);
    lane.add(i);
  });
  all.seal();
  for (const lane of byKind.values()) lane.seal();
  // Close the sessions that start out full in both lanes they belong to.
  const markFull = (i: number) => {
    all.close(i);
    byKind.get(open[i]!.seriesKind)!.close(laneOfKind[i]!);
  };
  room.forEach((r, i) => r === 0 && markFull(i));

  const placements: Placement[] = [];
  const unplaced: string[] = [];
  const pick = (lane: SessionLane, after: number | undefined): number | undefined => {
    const pos = lane.find(lane.firstAfter(after, startsAt));
    return pos < lane.members.length ? lane.members[pos] : undefined;
  };
  for (const c of [...candidates].sort(compareCandidates)) {
    const preferred = c.preferredKind ? byKind.get(c.preferredKind) : undefined;
    const i = (preferred && pick(preferred, c.after)) ?? pick(all, c.after);
    if (i === undefined) {
      unplaced.push(c.nominationId);
      continue;
    }
    placements.push({ nominationId: c.nominationId, sessionId: open[i]!.id, position: nextPosition[i]!, kind: c.kind });
    nextPosition[i]!++;
    if (--room[i]! === 0) markFull(i);
  }
  return { placements, unplaced };
}

/** Agenda identity level of a nomination's privacy stage (redacted cases are never identified). */
export function identityLevelOf(privacyStage: string): 'de-identified' | 'limited-identity' {
  return privacyStage === 'limited-identity' || privacyStage === 'planning' ? 'limited-identity' : 'de-identified';
}
