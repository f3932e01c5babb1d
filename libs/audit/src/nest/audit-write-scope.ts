import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import type { AuditContext, AuditEntryInput } from '../audit-entry';
import type { AuditTrail } from '../audit-trail';

/** The entries of one write request, waiting for the transaction of its change. */
export interface AuditWriteScope {
  context: AuditContext;
  entries: AuditEntryInput[];
  /** The transaction that holds the entries, once appended (cleared if it rolls back). */
  writtenBy?: QueryRunner;
}

const scopes = new AsyncLocalStorage<AuditWriteScope>();

/** Runs fn with a write scope: the first transaction fn commits carries the scope's entries. */
export function runInAuditWriteScope<T>(scope: AuditWriteScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/**
 * Who, why and from where of the audited request this code runs for, or undefined outside
 * one: what a service passes to AuditTrail.append for entries it can only build inside its
 * own transaction (ids created there). Capture it before handing work to another async
 * context (a batcher), which would otherwise see another request's.
 */
export function currentAuditContext(): AuditContext | undefined {
  return scopes.getStore()?.context;
}

const depthOf = (q: QueryRunner) => (q as unknown as { transactionDepth?: number }).transactionDepth ?? 1;

/**
 * Appends a write request's entries just before its transaction commits: in the same
 * transaction as the change (both commit or neither), and as late as possible, so the
 * department's chain lock is held only for the commit.
 */
export class AuditWriteSubscriber implements EntitySubscriberInterface {
  constructor(private readonly trail: AuditTrail) {}

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const scope = scopes.getStore();
    // A savepoint's release is not the commit: the outer transaction may still roll back.
    if (!scope || scope.entries.length === 0 || scope.writtenBy || depthOf(event.queryRunner) > 1) return;
    await this.trail.append(event.manager, scope.context, scope.entries);
    scope.writtenBy = event.queryRunner;
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const scope = scopes.getStore();
    if (scope?.writtenBy === event.queryRunner) scope.writtenBy = undefined;
  }
}
