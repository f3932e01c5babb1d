import type { IncidentChangeKind } from '@cit/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One versioned change of an incident: who changed what and why (reason_note is ciphertext). */
@Entity({ name: 'incident_change' })
export class IncidentChangeEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'incident_id' }) incidentId!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  @Column('integer') version!: number;
  @Column('text') kind!: IncidentChangeKind;
  @Column('text', { name: 'changed_fields', array: true }) changedFields!: string[];
  @Column('text', { name: 'reason_code' }) reasonCode!: string;
  @Column('text', { name: 'reason_note', nullable: true }) reasonNote!: string | null;
  @Column('jsonb', { name: 'previous_coding', nullable: true }) previousCoding!: Record<string, unknown> | null;
  @Column('text', { name: 'changed_by' }) changedBy!: string;
  @Column('timestamptz', { name: 'changed_at' }) changedAt!: Date;
}
