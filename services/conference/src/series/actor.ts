import { createHash } from 'node:crypto';
import type { Principal } from '@cit/auth';
import { idSchema } from '@cit/contracts';

/** Who made a change, as stored: the token subject when it is a plain identifier, else a stable digest of it. */
export function actorOf(principal: Principal): string {
  const s = principal.subject;
  return idSchema.safeParse(s).success ? s : `sub:${createHash('sha256').update(s).digest('hex').slice(0, 32)}`;
}
