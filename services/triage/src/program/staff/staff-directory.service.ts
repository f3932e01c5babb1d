import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffMemberFields } from './staff-member';

export interface StaffMember extends StaffMemberFields {
  id: string;
  createdAt: string;
  updatedAt: string;
}

interface StaffRow {
  id: string;
  subject: string;
  display_name: string;
  roles: string[];
  unit: string | null;
  sector: string | null;
  cjis_cleared: boolean;
  cjis_expires_on: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export const STAFF_COLUMNS = `id, subject, display_name, roles, unit, sector, cjis_cleared,
  to_char(cjis_expires_on, 'YYYY-MM-DD') AS cjis_expires_on, active, created_at, updated_at`;

export function staffFromRow(r: StaffRow): StaffMember {
  return {
    id: r.id,
    subject: r.subject,
    displayName: r.display_name,
    roles: r.roles as StaffMember['roles'],
    unit: r.unit,
    sector: r.sector as StaffMember['sector'],
    cjisCleared: r.cjis_cleared,
    cjisExpiresOn: r.cjis_expires_on,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * The department's staff directory, read inside the caller's transaction (tenant set).
 * Exported for the other triage areas: "is this caller CJIS-cleared" gates police narratives.
 */
@Injectable()
export class StaffDirectoryService {
  /** True when `subject` is an active staff member of the department with a CJIS clearance valid today. */
  async isCjisCleared(manager: EntityManager, departmentId: string, subject: string): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM staff_members
        WHERE department_id = $1 AND subject = $2 AND active AND cjis_cleared
          AND (cjis_expires_on IS NULL OR cjis_expires_on >= current_date)`,
      [departmentId, subject],
    )) as unknown[];
    return rows.length > 0;
  }

  async findById(manager: EntityManager, departmentId: string, id: string): Promise<StaffMember | null> {
    const [row] = (await manager.query(
      `SELECT ${STAFF_COLUMNS} FROM staff_members WHERE department_id = $1 AND id = $2`,
      [departmentId, id],
    )) as StaffRow[];
    return row ? staffFromRow(row) : null;
  }

  /** Staff members holding a role (or any role when omitted), active ones first, by name. */
  async list(
    manager: EntityManager,
    departmentId: string,
    filter: { role?: string; sector?: string; activeOnly?: boolean } = {},
  ): Promise<StaffMember[]> {
    const rows = (await manager.query(
      `SELECT ${STAFF_COLUMNS} FROM staff_members
        WHERE department_id = $1
          AND ($2::text IS NULL OR $2 = ANY (roles))
          AND ($3::text IS NULL OR sector = $3)
          AND (NOT $4 OR active)
        ORDER BY active DESC, display_name, id
        LIMIT 1000`,
      [departmentId, filter.role ?? null, filter.sector ?? null, filter.activeOnly ?? false],
    )) as StaffRow[];
    return rows.map(staffFromRow);
  }
}
