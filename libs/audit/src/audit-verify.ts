import { TENANT_SETTING } from '@cit/persistence';
import type { DataSource } from 'typeorm';
import { chainStart, checkChain, type BrokenAuditEntry } from './audit-chain';
import { AUDIT_COLUMNS, auditRecordFromRow, type AuditRow } from './audit-rows';

/** The outcome of recomputing one department's chain in one database. */
export type AuditVerification =
  | { status: 'intact'; entries: number; headSeq: number; headHash: string | null }
  | { status: 'broken'; entries: number; firstBroken: BrokenAuditEntry }
  | { status: 'no-audit-log' };

/**
 * Recomputes a department's chain from seq 1 in one consistent snapshot and names the first
 * entry that does not fit. Entries deleted from the end cannot show here (nothing follows
 * them): compare headSeq/headHash with a copy kept elsewhere to catch that.
 */
export async function verifyAuditChain(
  dataSource: DataSource,
  departmentId: string,
  pageSize = 1000,
): Promise<AuditVerification> {
  const [table] = (await dataSource.query(`SELECT to_regclass('public.audit_log') AS t`)) as { t: string | null }[];
  if (!table?.t) return { status: 'no-audit-log' };
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    await runner.query(`SELECT set_config($1, $2, true)`, [TENANT_SETTING, departmentId]);
    let cursor = chainStart();
    let after = 0;
    for (;;) {
      const rows = (await runner.query(
        `SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit_log WHERE department_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [departmentId, after, pageSize],
      )) as AuditRow[];
      if (rows.length === 0) break;
      const result = checkChain(rows.map(auditRecordFromRow), cursor);
      if ('broken' in result) return { status: 'broken', entries: cursor.checked, firstBroken: result.broken };
      cursor = result.cursor;
      after = cursor.expectedSeq - 1;
    }
    return {
      status: 'intact',
      entries: cursor.checked,
      headSeq: cursor.expectedSeq - 1,
      headHash: cursor.checked > 0 ? cursor.prevHash : null,
    };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}
