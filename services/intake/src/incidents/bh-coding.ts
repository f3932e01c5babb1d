import type { BhCoding } from '@cit/contracts';

/** Codes compared as sets: the order an officer ticked them in means nothing. */
export function sameCoding(a: BhCoding, b: BhCoding): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && [...x].sort().join() === [...y].sort().join();
  return (
    a.relatedTo === b.relatedTo && same(a.observations, b.observations) && same(a.suspectedUsing, b.suspectedUsing)
  );
}

/** Removes repeated codes, keeping the first occurrence. */
export function normalizeCoding(c: BhCoding): BhCoding {
  return {
    relatedTo: c.relatedTo,
    observations: [...new Set(c.observations)],
    suspectedUsing: [...new Set(c.suspectedUsing)],
  };
}

/** The coding stored on an incident row. */
export function codingOf(incident: {
  bhRelatedTo: BhCoding['relatedTo'];
  bhObservations: string[];
  bhSuspectedUsing: string[];
}): BhCoding {
  return {
    relatedTo: incident.bhRelatedTo,
    observations: incident.bhObservations as BhCoding['observations'],
    suspectedUsing: incident.bhSuspectedUsing as BhCoding['suspectedUsing'],
  };
}
