import { ForbiddenException, NotFoundException } from '@nestjs/common';
import {
  InvalidClaimsError,
  TenantScope,
  assertInDepartment,
  extractBearerToken,
  findOneInDepartment,
  isAllowed,
  principalFromClaims,
  scopeWhere,
  type Principal,
} from './index';

const staff: Principal = { subject: 'u1', kind: 'staff', roles: ['coordinator'], departmentId: 'd1' };
const partner: Principal = { subject: 'c1', kind: 'partner', roles: ['partner'], departmentId: 'd1', agencyId: 'a1' };

describe('principalFromClaims', () => {
  it('maps staff claims', () => {
    expect(
      principalFromClaims({
        sub: 'u1',
        roles: ['coordinator', 'supervisor'],
        department_id: 'd1',
        jti: 't1',
        iss: 'x',
      }),
    ).toEqual({
      subject: 'u1',
      kind: 'staff',
      roles: ['coordinator', 'supervisor'],
      departmentId: 'd1',
      tokenId: 't1',
    });
  });

  it('maps the auditor role and assigned districts', () => {
    expect(principalFromClaims({ sub: 'a1', roles: ['auditor'], department_id: 'd1' }).roles).toEqual(['auditor']);
    expect(
      principalFromClaims({ sub: 'u1', roles: ['clinician'], department_id: 'd1', districts: ['sector-3'] }).districts,
    ).toEqual(['sector-3']);
    expect(principalFromClaims({ sub: 'u1', roles: ['clinician'], department_id: 'd1' })).not.toHaveProperty(
      'districts',
    );
    expect(() =>
      principalFromClaims({ sub: 'u1', roles: ['clinician'], department_id: 'd1', districts: [''] }),
    ).toThrow(InvalidClaimsError);
  });

  it('maps partner claims bound to one agency', () => {
    expect(principalFromClaims({ sub: 'c1', roles: ['partner'], department_id: 'd1', agency_id: 'a1' })).toEqual(
      partner,
    );
  });

  it('ignores unknown IdP roles but needs one platform role', () => {
    expect(principalFromClaims({ sub: 'u1', roles: ['offline_access', 'officer'], department_id: 'd1' }).roles).toEqual(
      ['officer'],
    );
    expect(() => principalFromClaims({ sub: 'u1', roles: ['superuser'], department_id: 'd1' })).toThrow(
      InvalidClaimsError,
    );
  });

  it.each([
    ['no sub', { roles: ['officer'], department_id: 'd1' }],
    ['empty sub', { sub: '', roles: ['officer'], department_id: 'd1' }],
    ['roles not an array', { sub: 'u', roles: 'officer', department_id: 'd1' }],
    ['no department', { sub: 'u', roles: ['officer'] }],
    ['bad department id', { sub: 'u', roles: ['officer'], department_id: "d1'; drop" }],
    ['partner role without agency', { sub: 'u', roles: ['partner'], department_id: 'd1' }],
    ['agency with staff role', { sub: 'u', roles: ['partner', 'admin'], department_id: 'd1', agency_id: 'a1' }],
    ['agency without partner role', { sub: 'u', roles: ['officer'], department_id: 'd1', agency_id: 'a1' }],
    ['not an object', 'token'],
  ])('rejects %s', (_name, claims) => {
    expect(() => principalFromClaims(claims)).toThrow(InvalidClaimsError);
  });

  it('does not echo claim values in errors', () => {
    try {
      principalFromClaims({ sub: 'u', roles: ['officer'], department_id: 'Jane Doe 1980' });
    } catch (err) {
      expect((err as Error).message).not.toContain('Jane');
    }
  });
});

describe('isAllowed', () => {
  it('checks roles', () => {
    expect(isAllowed(staff, { roles: ['coordinator', 'admin'] })).toBe(true);
    expect(isAllowed(staff, { roles: ['admin'] })).toBe(false);
    expect(isAllowed(staff, {})).toBe(true);
  });

  it('keeps partners off staff routes unless the route names them', () => {
    expect(isAllowed(partner, {})).toBe(false);
    expect(isAllowed(partner, { roles: ['coordinator'] })).toBe(false);
    expect(isAllowed(partner, { roles: ['coordinator', 'partner'] })).toBe(true);
    expect(isAllowed(partner, { partnerOnly: true })).toBe(true);
    expect(isAllowed(staff, { partnerOnly: true })).toBe(false);
  });
});

describe('tenant scope', () => {
  it('adds the caller department to where clauses, overriding any given', () => {
    expect(scopeWhere(staff, { status: 'open', departmentId: 'd2' })).toEqual({ status: 'open', departmentId: 'd1' });
    expect(TenantScope.where(staff, [{ a: 1 }, { b: 2 }])).toEqual([
      { a: 1, departmentId: 'd1' },
      { b: 2, departmentId: 'd1' },
    ]);
  });

  it('reports other departments as not found, never forbidden', async () => {
    const rows = [
      { id: 'r1', departmentId: 'd1' },
      { id: 'r2', departmentId: 'd2' },
    ];
    const repo = {
      findOne: async ({ where }: { where: Record<string, unknown> }) =>
        rows.find((r) => r.id === where.id && r.departmentId === where.departmentId) ?? null,
    };
    await expect(findOneInDepartment(repo, staff, 'r1')).resolves.toEqual(rows[0]);
    await expect(findOneInDepartment(repo, staff, 'r2')).rejects.toBeInstanceOf(NotFoundException);
    expect(() => assertInDepartment(rows[1], staff)).toThrow(NotFoundException);
    expect(() => assertInDepartment(null, staff)).toThrow(NotFoundException);
    expect(() => assertInDepartment(rows[1], staff)).not.toThrow(ForbiddenException);
    expect(assertInDepartment(rows[0], staff)).toBe(rows[0]);
  });
});

describe('helpers', () => {
  it('extracts bearer tokens', () => {
    expect(extractBearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(extractBearerToken('bearer  abc')).toBe('abc');
    expect(extractBearerToken('Basic abc')).toBeUndefined();
    expect(extractBearerToken('Bearer ')).toBeUndefined();
    expect(extractBearerToken(undefined)).toBeUndefined();
  });
});
