import { idSchema } from '@cit/contracts';
import { defaultLogger, type MessagingLogger } from './logger';

/** The environment variable listing the departments the platform serves. */
export const DEPARTMENTS_VARIABLE = 'CIT_DEPARTMENTS';

/** The departments the platform serves; an event of any other department is refused on arrival. */
export interface DepartmentRegistry {
  /** False when every syntactically valid department is accepted (development and tests without CIT_DEPARTMENTS). */
  readonly configured: boolean;
  has(departmentId: string): boolean;
}

/** A bad or missing CIT_DEPARTMENTS; the message names the variable and entry positions, never values. */
export class DepartmentRegistryConfigError extends Error {
  readonly variable = DEPARTMENTS_VARIABLE;
  constructor(detail: string) {
    super(`${DEPARTMENTS_VARIABLE} ${detail}`);
    this.name = 'DepartmentRegistryConfigError';
  }
}

/** A registry of exactly these departments; throws DepartmentRegistryConfigError for an empty list or a malformed id. */
export function departmentRegistry(ids: Iterable<string>): DepartmentRegistry {
  const known = new Set<string>();
  let position = 0;
  for (const id of ids) {
    position++;
    if (!idSchema.safeParse(id).success)
      throw new DepartmentRegistryConfigError(
        `entry ${position} is not a department id (letters, digits, . _ : -; at most 128)`,
      );
    known.add(id);
  }
  if (known.size === 0) throw new DepartmentRegistryConfigError('must list at least one department id');
  return { configured: true, has: (departmentId) => known.has(departmentId) };
}

/** Accepts every department (the envelope schema has already checked the id's syntax). */
export const anyDepartment: DepartmentRegistry = { configured: false, has: () => true };

let openRegistryLogged = false;

/**
 * The registry the platform configures: CIT_DEPARTMENTS, comma-separated department ids.
 * Required when NODE_ENV=production. Unset (or empty) elsewhere, every department is
 * accepted, which is logged once per process so nobody mistakes it for a checked setup.
 */
export function departmentRegistryFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log: MessagingLogger = defaultLogger('departments'),
): DepartmentRegistry {
  const raw = env[DEPARTMENTS_VARIABLE]?.trim() ?? '';
  if (raw === '') {
    if (env.NODE_ENV === 'production')
      throw new DepartmentRegistryConfigError('is required when NODE_ENV=production (comma-separated department ids)');
    if (!openRegistryLogged) {
      openRegistryLogged = true;
      log.warn(
        { variable: DEPARTMENTS_VARIABLE, nodeEnv: env.NODE_ENV ?? null },
        `${DEPARTMENTS_VARIABLE} is not set: events of every syntactically valid department are accepted (development and tests only)`,
      );
    }
    return anyDepartment;
  }
  return departmentRegistry(raw.split(',').map((id) => id.trim()));
}
