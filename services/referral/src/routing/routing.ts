// Routing: which partner services may take a referral, and in which order. Plain TypeScript;
// every exclusion and every score part is kept so a coordinator can see why.
import { DateTime } from 'luxon';
import type { AgeRange } from '@cit/contracts';
import { ALL_AREAS, type DirectoryService, type Weekday, WEEKDAYS } from '../directory/directory.model';
import { mouActiveOn, mouCovers, type Mou } from '../mous/mou.model';

export type Urgency = 'routine' | 'urgent' | 'emergent';

export interface RoutingRequest {
  needs: string[];
  /** Program kinds that must deliver it (e.g. mobile-crisis for mobile-crisis-now); empty = any. */
  kinds: string[];
  urgency: Urgency;
  language?: string;
  ageRange: AgeRange;
  area?: string;
  /** Agencies already tried for this person's request (rejected, timed out, cancelled). */
  excludeAgencies: string[];
}

export type Exclusion =
  | 'inactive'
  | 'no-active-mou'
  | 'need-not-served'
  | 'kind-not-offered'
  | 'outside-area'
  | 'closed-now'
  | 'no-capacity'
  | 'language'
  | 'age'
  | 'already-tried';

export interface ScorePart {
  name: 'needs' | 'capacity' | 'language' | 'open-now' | 'area' | 'after-hours' | 'police-drop-off';
  points: number;
  max: number;
  why: string;
}

export interface Candidate {
  agencyId: string;
  serviceId: string;
  mouId: string;
  score: number;
  parts: ScorePart[];
}

export interface RoutingDecision {
  candidates: Candidate[];
  excluded: { agencyId: string; serviceId: string; reasons: Exclusion[] }[];
}

/** Age bounds of the age ranges triage reports (no date of birth leaves triage). */
const AGE_BOUNDS: Record<AgeRange, [number, number] | null> = {
  juvenile: [0, 17],
  adult: [18, 64],
  senior: [65, 130],
  unknown: null,
};

export function acceptsAge(service: Pick<DirectoryService, 'minAge' | 'maxAge'>, range: AgeRange): boolean {
  const bounds = AGE_BOUNDS[range];
  if (!bounds) return true;
  const lo = service.minAge ?? 0;
  const hi = service.maxAge ?? 130;
  return lo <= bounds[1] && bounds[0] <= hi;
}

/** The primary language subtag: es-MX → es. */
export const primaryLanguage = (tag: string): string => tag.toLowerCase().split('-')[0]!;

export function speaks(service: Pick<DirectoryService, 'languages'>, language: string | undefined): boolean {
  if (!language) return true;
  const wanted = primaryLanguage(language);
  // A program that lists no language is taken to work in English only.
  const spoken = service.languages.length ? service.languages.map(primaryLanguage) : ['en'];
  return spoken.includes(wanted);
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** Open at `now` in `zone` by its regular hours; a program without hours listed is taken as always open. */
export function openAt(service: Pick<DirectoryService, 'hours'>, now: Date, zone: string): boolean {
  if (service.hours.length === 0) return true;
  const local = DateTime.fromJSDate(now, { zone });
  const day: Weekday = WEEKDAYS[local.weekday - 1]!;
  const minute = local.hour * 60 + local.minute;
  return service.hours.some(
    (h) => h.days.includes(day) && minutesOf(h.opens) <= minute && minute < minutesOf(h.closes),
  );
}

export interface RoutingContext {
  now: Date;
  zone: string;
  services: readonly DirectoryService[];
  /** MOUs by agency. */
  mous: ReadonlyMap<string, readonly Mou[]>;
}

/**
 * Every eligible candidate, best first, with its score parts; every other service with the
 * reasons it was left out. Urgent and emergent referrals need a program open now or
 * after-hours capable; a routine one may wait for the program to open (its SLA counts
 * business days), which the open-now part of the score shows.
 */
export function routeReferral(request: RoutingRequest, ctx: RoutingContext): RoutingDecision {
  const today = DateTime.fromJSDate(ctx.now, { zone: ctx.zone }).toISODate()!;
  const urgent = request.urgency !== 'routine';
  const candidates: Candidate[] = [];
  const excluded: RoutingDecision['excluded'] = [];
  for (const s of ctx.services) {
    const reasons: Exclusion[] = [];
    if (!s.active) reasons.push('inactive');
    if (request.excludeAgencies.includes(s.agencyId)) reasons.push('already-tried');
    const mou = (ctx.mous.get(s.agencyId) ?? []).find((m) => mouActiveOn(m, today) && mouCovers(m, s.id));
    if (!mou) reasons.push('no-active-mou');
    const needsMet = request.needs.filter((n) => s.needs.includes(n));
    if (request.needs.length > 0 && needsMet.length === 0) reasons.push('need-not-served');
    if (request.kinds.length > 0 && !request.kinds.includes(s.kind)) reasons.push('kind-not-offered');
    const areaListed = request.area !== undefined && s.areas.includes(request.area);
    if (request.area !== undefined && !areaListed && !s.areas.includes(ALL_AREAS)) reasons.push('outside-area');
    const open = openAt(s, ctx.now, ctx.zone);
    if (urgent && !open && !s.afterHours) reasons.push('closed-now');
    if (!s.capacity || s.capacity.available <= 0) reasons.push('no-capacity');
    if (!speaks(s, request.language)) reasons.push('language');
    if (!acceptsAge(s, request.ageRange)) reasons.push('age');
    if (reasons.length > 0 || !mou) {
      excluded.push({ agencyId: s.agencyId, serviceId: s.id, reasons });
      continue;
    }
    const parts = scoreParts(request, s, { open, areaListed, needsMet: needsMet.length });
    candidates.push({
      agencyId: s.agencyId,
      serviceId: s.id,
      mouId: mou.id,
      score: parts.reduce((sum, p) => sum + p.points, 0),
      parts,
    });
  }
  candidates.sort(
    (a, b) => b.score - a.score || a.agencyId.localeCompare(b.agencyId) || a.serviceId.localeCompare(b.serviceId),
  );
  return { candidates: onePerAgency(candidates), excluded };
}

/** An agency appears once, with its best service. */
function onePerAgency(sorted: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return sorted.filter((c) => (seen.has(c.agencyId) ? false : (seen.add(c.agencyId), true)));
}

const round = (n: number): number => Math.round(n * 100) / 100;

function scoreParts(
  request: RoutingRequest,
  s: DirectoryService,
  facts: { open: boolean; areaListed: boolean; needsMet: number },
): ScorePart[] {
  const urgent = request.urgency !== 'routine';
  const capacity = s.capacity!;
  const ratio = capacity.maximum && capacity.maximum > 0 ? Math.min(1, capacity.available / capacity.maximum) : 0.5;
  const needShare = request.needs.length ? facts.needsMet / request.needs.length : 1;
  const parts: ScorePart[] = [
    {
      name: 'needs',
      points: round(40 * needShare),
      max: 40,
      why: `${facts.needsMet} of ${request.needs.length} needs served`,
    },
    {
      name: 'capacity',
      points: round(20 * ratio),
      max: 20,
      why: `${capacity.available} of ${capacity.maximum ?? 'unknown'} available`,
    },
    {
      name: 'area',
      points: facts.areaListed ? 10 : request.area === undefined ? 5 : 3,
      max: 10,
      why: facts.areaListed ? 'serves the area by name' : 'serves the whole department',
    },
    {
      name: 'open-now',
      points: facts.open ? 10 : 0,
      max: 10,
      why: facts.open ? 'open now' : s.afterHours ? 'closed now, after-hours capable' : 'closed now',
    },
    {
      name: 'language',
      points: request.language && s.languages.map(primaryLanguage).includes(primaryLanguage(request.language)) ? 10 : 5,
      max: 10,
      why: request.language ? `speaks ${primaryLanguage(request.language)}` : 'language not known',
    },
  ];
  if (urgent) {
    parts.push({
      name: 'after-hours',
      points: s.afterHours ? 5 : 0,
      max: 5,
      why: s.afterHours ? 'after-hours capable' : 'business hours only',
    });
  }
  if (request.urgency === 'emergent') {
    parts.push({
      name: 'police-drop-off',
      points: s.policeDropOff ? 5 : 0,
      max: 5,
      why: s.policeDropOff ? 'accepts police drop-off' : 'no police drop-off',
    });
  }
  return parts;
}
