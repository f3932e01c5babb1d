import { z } from 'zod';

/**
 * Every role a token can carry. Staff roles come from OIDC; partner is for agency clients;
 * auditor is for reading the PHI access audit log (GET /v1/audit); ops watches queues and
 * dead letters read-only, ops-admin may also retry, clean and replay them.
 */
export const ROLES = [
  'officer',
  'clinician',
  'coordinator',
  'supervisor',
  'admin',
  'ops',
  'ops-admin',
  'auditor',
  'partner',
] as const;
/** A platform role. */
export type Role = (typeof ROLES)[number];
/** Runtime schema of Role. */
export const roleSchema = z.enum(ROLES);

// Tenant and agency ids end up in SQL parameters, logs and metric labels: keep them plain.
const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);

/** The authenticated caller, derived from a verified token. */
export const principalSchema = z
  .object({
    subject: z.string().min(1).max(256),
    kind: z.enum(['staff', 'partner']),
    roles: z.array(roleSchema).min(1),
    departmentId: idSchema,
    agencyId: idSchema.optional(),
    tokenId: z.string().min(1).max(256).optional(),
    // Assigned districts/units: the staff member's normal scope inside the department
    // (absent = the whole department). Records outside it need break-glass (@cit/audit).
    districts: z.array(z.string().min(1).max(64)).max(64).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'partner' && (!p.agencyId || p.roles.length !== 1 || p.roles[0] !== 'partner')) {
      ctx.addIssue({ code: 'custom', message: 'a partner principal has exactly one agency and only the partner role' });
    }
    if (p.kind === 'staff' && (p.agencyId !== undefined || p.roles.includes('partner'))) {
      ctx.addIssue({ code: 'custom', message: 'a staff principal has no agency and no partner role' });
    }
  });
/** The authenticated caller. */
export type Principal = z.infer<typeof principalSchema>;

/** JWT claims this platform reads. */
export const tokenClaimsSchema = z.object({
  sub: z.string().min(1).max(256),
  roles: z.array(z.string()).max(64),
  department_id: z.string(),
  agency_id: z.string().optional(),
  jti: z.string().optional(),
  districts: z.array(z.string()).max(64).optional(),
});

/** Token claims that cannot be mapped to a principal; the message lists claim paths, never values. */
export class InvalidClaimsError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid token claims: ${issues.join('; ')}`);
    this.name = 'InvalidClaimsError';
  }
}

const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/**
 * Maps verified JWT claims to a Principal. Unknown role strings (IdPs add their own, e.g.
 * offline_access) are ignored; at least one platform role must remain. A token with
 * agency_id is a partner token: bound to that one agency, role partner only.
 */
export function principalFromClaims(claims: unknown): Principal {
  const parsed = tokenClaimsSchema.safeParse(claims);
  if (!parsed.success) {
    throw new InvalidClaimsError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const c = parsed.data;
  const candidate = {
    subject: c.sub,
    kind: c.agency_id !== undefined ? 'partner' : 'staff',
    roles: [...new Set(c.roles.filter(isRole))],
    departmentId: c.department_id,
    agencyId: c.agency_id,
    tokenId: c.jti,
    districts: c.districts,
  };
  const result = principalSchema.safeParse(candidate);
  if (!result.success) {
    throw new InvalidClaimsError(result.error.issues.map((i) => `${i.path.join('.') || 'principal'}: ${i.message}`));
  }
  // Drop undefined optionals so principals compare and serialize cleanly.
  const p = result.data;
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Principal;
}

/** What a route requires of its caller. */
export interface AccessRequirement {
  /** Caller needs at least one of these roles. */
  roles?: readonly Role[];
  /** Only partner principals may call. */
  partnerOnly?: boolean;
}

/**
 * Decides whether a principal meets a route's requirement. Partners are denied unless the
 * route names the partner role or is partner-only: staff routes never leak to agencies by
 * omission.
 */
export function isAllowed(principal: Principal, requirement: AccessRequirement = {}): boolean {
  if (requirement.partnerOnly && principal.kind !== 'partner') return false;
  if (requirement.roles && requirement.roles.length > 0) {
    return principal.roles.some((r) => requirement.roles!.includes(r));
  }
  return principal.kind === 'staff' || requirement.partnerOnly === true;
}
