import { z } from 'zod';

/**
 * Age bands of the de-identified presentation. Wide enough that a band with gender and risk
 * factors does not single a person out at a table of agencies from the same town.
 */
export const AGE_RANGES = ['0-11', '12-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

/** One age band. */
export type AgeRange = (typeof AGE_RANGES)[number];

/** Runtime schema of AgeRange. */
export const ageRangeSchema = z.enum(AGE_RANGES);

const LOWER_BOUNDS: ReadonlyArray<readonly [number, AgeRange]> = [
  [65, '65+'],
  [55, '55-64'],
  [45, '45-54'],
  [35, '35-44'],
  [25, '25-34'],
  [18, '18-24'],
  [12, '12-17'],
  [0, '0-11'],
];

/** The band of an age in whole years (a negative or fractional age is a caller's bug). */
export function ageRangeOfAge(age: number): AgeRange {
  if (!Number.isInteger(age) || age < 0) throw new RangeError('age must be a non-negative integer');
  return LOWER_BOUNDS.find(([lower]) => age >= lower)![1];
}

/** Age in whole years on a day, from an ISO calendar date of birth (YYYY-MM-DD): a birthday counts on its day. */
export function ageOn(birthDate: string, on: Date): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) throw new RangeError('birth date must be YYYY-MM-DD');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [y, mo, d] = [on.getUTCFullYear(), on.getUTCMonth() + 1, on.getUTCDate()];
  return y - year - (mo < month || (mo === month && d < day) ? 1 : 0);
}

/** The band of a person born on birthDate, as of `on`. */
export function ageRangeOfBirthDate(birthDate: string, on: Date): AgeRange {
  return ageRangeOfAge(Math.max(0, ageOn(birthDate, on)));
}

/** Whether a calendar date (YYYY-MM-DD) exists and is not after `on`, nor more than 120 years before it. */
export function isPlausibleBirthDate(birthDate: string, on: Date): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.toISOString().slice(0, 10) !== birthDate) return false;
  if (date.getTime() > on.getTime()) return false;
  return ageOn(birthDate, on) <= 120;
}
