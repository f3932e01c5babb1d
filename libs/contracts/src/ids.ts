import { randomUUID } from 'node:crypto';

/** A new prefixed random id (e.g. inc_3f2a…): readable in logs, valid for idSchema, never derived from PHI. */
export function newId(prefix: string): string {
  if (!/^[a-z]{2,8}$/.test(prefix)) throw new Error(`id prefix must be 2-8 lowercase letters: ${prefix}`);
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}
