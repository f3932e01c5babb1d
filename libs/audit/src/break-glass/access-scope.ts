/** The caller as the scope rule sees them. */
export interface ScopeCaller {
  roles: readonly string[];
  /** Assigned districts/units; undefined = the whole department (no restriction). */
  districts?: readonly string[];
}

/** Roles that may open a record outside their normal scope by stating a reason. */
export const BREAK_GLASS_ROLES: readonly string[] = ['clinician', 'supervisor'];

/** The outcome of the normal-scope rule for one record. */
export type ScopeDecision =
  | { access: 'in-scope' }
  | { access: 'break-glass' }
  | { access: 'denied'; problem: 'break-glass-required' | 'break-glass-not-permitted' };

/**
 * Normal scope: a staff member whose token names districts sees records of those districts
 * (and records with no district); without a districts claim, the whole department. Outside
 * it, a clinician or supervisor gets in only by stating a reason (break-glass); a caller
 * whose roles cannot break glass is refused whatever they state.
 */
export function decideAccessScope(
  caller: ScopeCaller,
  recordDistrict: string | null | undefined,
  breakGlassReason: string | undefined,
): ScopeDecision {
  if (caller.districts === undefined) return { access: 'in-scope' };
  if (recordDistrict === null || recordDistrict === undefined || recordDistrict === '') return { access: 'in-scope' };
  if (caller.districts.includes(recordDistrict)) return { access: 'in-scope' };
  if (!caller.roles.some((r) => BREAK_GLASS_ROLES.includes(r)))
    return { access: 'denied', problem: 'break-glass-not-permitted' };
  if (breakGlassReason === undefined || breakGlassReason.trim() === '')
    return { access: 'denied', problem: 'break-glass-required' };
  return { access: 'break-glass' };
}
