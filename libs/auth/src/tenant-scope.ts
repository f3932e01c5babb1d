import { NotFoundException } from '@nestjs/common';
import type { Principal } from './principal';

/** The department (tenant) condition of a principal's queries. */
export function departmentScope(principal: Principal): { departmentId: string } {
  return { departmentId: principal.departmentId };
}

/** Adds the principal's departmentId to a TypeORM-style where (object or array of objects); the principal wins. */
export function scopeWhere<W extends object>(principal: Principal, where: W): W & { departmentId: string };
export function scopeWhere<W extends object>(principal: Principal, where: W[]): Array<W & { departmentId: string }>;
export function scopeWhere<W extends object>(principal: Principal, where: W | W[]): unknown {
  const scope = departmentScope(principal);
  return Array.isArray(where) ? where.map((w) => ({ ...w, ...scope })) : { ...where, ...scope };
}

/** Minimal repository shape (TypeORM Repository fits) so this lib needs no ORM. */
export interface FindOneRepository<T> {
  findOne(options: { where: Record<string, unknown> }): Promise<T | null>;
}

/**
 * Loads a record by id within the principal's department. Another department's record is
 * reported as absent (404), never forbidden (403), so ids of other tenants do not leak.
 */
export async function findOneInDepartment<T>(
  repository: FindOneRepository<T>,
  principal: Principal,
  id: string | number,
  idField = 'id',
): Promise<T> {
  const found = await repository.findOne({ where: { [idField]: id, ...departmentScope(principal) } });
  if (!found) throw new NotFoundException('not found');
  return found;
}

/** Returns the record if it belongs to the principal's department; otherwise 404. */
export function assertInDepartment<T extends { departmentId: string }>(
  record: T | null | undefined,
  principal: Principal,
): T {
  if (!record || record.departmentId !== principal.departmentId) throw new NotFoundException('not found');
  return record;
}

/** The tenant helpers as one object. */
export const TenantScope = {
  scope: departmentScope,
  where: scopeWhere,
  findOne: findOneInDepartment,
  assert: assertInDepartment,
} as const;
