import type { ImportFormat, ImportStatus } from '@cit/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A bulk RMS import: counters are committed with every batch, so they show progress while it runs. */
@Entity({ name: 'import_job' })
export class ImportJobEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  @Column('text') format!: ImportFormat;
  @Column('boolean', { name: 'emit_events' }) emitEvents!: boolean;
  /** Whether imported incidents were screened into the behavioral-health review queue. */
  @Column('boolean') screen!: boolean;
  @Column('text') status!: ImportStatus;
  @Column('integer', { name: 'rows_read' }) rowsRead!: number;
  @Column('integer', { name: 'rows_imported' }) rowsImported!: number;
  @Column('integer', { name: 'rows_duplicate' }) rowsDuplicate!: number;
  @Column('integer', { name: 'rows_rejected' }) rowsRejected!: number;
  @Column('text', { nullable: true }) failure!: string | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
