import { randomUUID } from 'node:crypto';
import type { FieldCipher } from '@cit/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import {
  auditContextSchema,
  auditEntryHash,
  auditEntryInputSchema,
  GENESIS_HASH,
  type AuditContext,
  type AuditEntryInput,
  type AuditRecord,
} from './audit-entry';
import { AUDIT_COLUMNS, auditRowValues } from './audit-rows';
import { lockForTransactionTenant } from './tenant-setting';

// First key of pg_advisory_xact_lock(int, int): its own lock space, apart from the outbox
// relay's single-bigint leader lock. The second key is the department.
const AUDIT_LOCK_CLASS = 0x0a0d17;

/** AAD of an encrypted break-glass reason: binds the ciphertext to its entry. */
export const breakGlassReasonAad = (entryId: string) => `audit_log.reason:${entryId}`;

/** Options of AuditTrail. */
export interface AuditTrailOptions {
  /** Encrypts break-glass reasons (required to record one). */
  cipher?: FieldCipher;
  now?: () => Date;
}

/**
 * The append-only, hash-chained PHI access log. Entries of one department form one chain
 * (seq 1, 2, …; each carries the previous entry's hash); appends are serialized per
 * department, so concurrent requests never fork it.
 */
export class AuditTrail {
  constructor(private readonly options: AuditTrailOptions = {}) {}

  /**
   * Appends entries in the caller's transaction (`manager` must be in one): they commit with
   * the change they describe, or not at all. Takes the department's chain lock, held to commit,
   * so call it as late in the transaction as possible.
   */
  async append(
    manager: EntityManager,
    context: AuditContext,
    entries: readonly AuditEntryInput[],
  ): Promise<AuditRecord[]> {
    return this.appendEach(manager, [{ context, entries }]);
  }

  /**
   * Appends the entries of several requests of one department (a group commit) in the
   * caller's transaction, under one chain lock and one head read.
   */
  async appendEach(
    manager: EntityManager,
    items: readonly { context: AuditContext; entries: readonly AuditEntryInput[] }[],
  ): Promise<AuditRecord[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditTrail: append must run inside a transaction (pass the transaction EntityManager)');
    }
    const parsed = items
      .filter((i) => i.entries.length > 0)
      .map((i) => ({
        ctx: auditContextSchema.parse(i.context),
        inputs: i.entries.map((e) => auditEntryInputSchema.parse(e)),
      }));
    if (parsed.length === 0) return [];
    const departmentId = parsed[0]!.ctx.departmentId;
    if (parsed.some((p) => p.ctx.departmentId !== departmentId))
      throw new Error('AuditTrail: one append holds one department');
    if (parsed.some((p) => p.ctx.breakGlassReason !== undefined) && !this.options.cipher)
      throw new Error('AuditTrail: a break-glass reason needs a cipher');

    // The tenant check and the chain lock in one round trip; the head is read in a statement
    // of its own, after the lock is held (its snapshot must see the previous holder's commit).
    await lockForTransactionTenant(manager, departmentId, [AUDIT_LOCK_CLASS, departmentId]);
    const [head] = (await manager.query(
      `SELECT seq, hash FROM audit_log WHERE department_id = $1 ORDER BY seq DESC LIMIT 1`,
      [departmentId],
    )) as {
      seq: string;
      hash: string;
    }[];

    let seq = head ? Number(head.seq) : 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const occurredAt = (this.options.now ?? (() => new Date()))();
    const records: AuditRecord[] = parsed.flatMap(({ ctx, inputs }) =>
      inputs.map((input) => {
        const id = randomUUID();
        seq += 1;
        const content: Omit<AuditRecord, 'hash'> = {
          id,
          departmentId,
          seq,
          occurredAt,
          actorSubject: ctx.actor.subject,
          actorKind: ctx.actor.kind,
          actorRoles: [...ctx.actor.roles],
          actorAgencyId: ctx.actor.agencyId ?? null,
          purpose: ctx.purpose,
          action: input.action,
          recordType: input.recordType,
          recordId: input.recordId,
          personIds: [...new Set(input.personIds)],
          fields: [...new Set(input.fields)],
          outcome: input.outcome,
          requestId: ctx.requestId,
          correlationId: ctx.correlationId,
          clientAddress: ctx.clientAddress,
          reasonCiphertext:
            ctx.breakGlassReason !== undefined
              ? this.options.cipher!.encrypt(ctx.breakGlassReason, breakGlassReasonAad(id))
              : null,
          prevHash,
        };
        const hash = auditEntryHash(content);
        prevHash = hash;
        return { ...content, hash };
      }),
    );

    // Bounded statements: PostgreSQL takes at most 65535 parameters.
    for (let i = 0; i < records.length; i += 1000) {
      const params: unknown[] = [];
      const tuples = records.slice(i, i + 1000).map((r) => {
        const values = auditRowValues(r);
        const base = params.length;
        params.push(...values);
        return `(${values.map((_, k) => `$${base + k + 1}`).join(', ')})`;
      });
      await manager.query(`INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
    return records;
  }

  /**
   * Appends in a transaction of its own: for reads (append, then answer) and for decryption
   * outside a request (a job, an export), where there is no change to share a transaction with.
   * `also` runs in the same transaction (e.g. an outbox event about the entries).
   */
  async appendNow(
    dataSource: DataSource,
    context: AuditContext,
    entries: readonly AuditEntryInput[],
    also?: (manager: EntityManager, records: AuditRecord[]) => Promise<void>,
  ): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    return dataSource.transaction(async (manager) => {
      const records = await this.append(manager, context, entries);
      if (also) await also(manager, records);
      return records;
    });
  }
}
