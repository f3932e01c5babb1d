import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@cit/persistence';
import type { EntityManager } from 'typeorm';
import { personAndAliasesSql } from '../persons/person-aliases';
import { crisisPlanAad, type CrisisPlanContent } from './crisis-plan.content';

interface PlanRow {
  id: string;
  department_id: string;
  person_id: string;
  version: number;
  content_ciphertext: string;
  review_date: string;
  written_at: Date;
  written_by: string;
  retired_at?: Date | null;
}

/** A crisis plan version as the API shows it (decrypted). */
export interface CrisisPlanView {
  id: string;
  personId: string;
  /** The person the plan was written for, when it applies through a person merge. */
  writtenForPersonId?: string;
  version: number;
  reviewDate: string;
  reviewDue: boolean;
  writtenAt: string;
  writtenBy: string;
  content: CrisisPlanContent;
}

/**
 * Reads crisis plans. A person's current plan is the newest unretired version of their own
 * plan or, if they have none, of a person merged into them (the newest written wins).
 */
@Injectable()
export class CrisisPlanStore {
  constructor(private readonly cipher: FieldCipher) {}

  async current(em: EntityManager, departmentId: string, personId: string): Promise<PlanRow | undefined> {
    const [row]: PlanRow[] = await em.query(
      `SELECT id, department_id, person_id, version, content_ciphertext, review_date::text AS review_date, written_at, written_by
         FROM crisis_plan
        WHERE department_id = $1 AND retired_at IS NULL AND person_id IN (${personAndAliasesSql('$1', '$2')})
        ORDER BY (person_id = $2) DESC, written_at DESC, version DESC LIMIT 1`,
      [departmentId, personId],
    );
    return row;
  }

  async version(
    em: EntityManager,
    departmentId: string,
    personId: string,
    version: number,
  ): Promise<PlanRow | undefined> {
    const [row]: PlanRow[] = await em.query(
      `SELECT id, department_id, person_id, version, content_ciphertext, review_date::text AS review_date, written_at, written_by, retired_at
         FROM crisis_plan WHERE department_id = $1 AND person_id = $2 AND version = $3`,
      [departmentId, personId, version],
    );
    return row;
  }

  async hasCurrent(em: EntityManager, departmentId: string, personId: string): Promise<boolean> {
    const [row]: { found: boolean }[] = await em.query(
      `SELECT EXISTS (SELECT 1 FROM crisis_plan
         WHERE department_id = $1 AND retired_at IS NULL AND person_id IN (${personAndAliasesSql('$1', '$2')})) AS found`,
      [departmentId, personId],
    );
    return row!.found;
  }

  view(row: PlanRow, personId: string, today = new Date().toISOString().slice(0, 10)): CrisisPlanView {
    return {
      id: row.id,
      personId,
      ...(row.person_id !== personId ? { writtenForPersonId: row.person_id } : {}),
      version: row.version,
      reviewDate: row.review_date,
      reviewDue: row.review_date <= today,
      writtenAt: row.written_at.toISOString(),
      writtenBy: row.written_by,
      content: JSON.parse(
        this.cipher.decrypt(row.content_ciphertext, crisisPlanAad(row.department_id, row.id)),
      ) as CrisisPlanContent,
    };
  }
}
