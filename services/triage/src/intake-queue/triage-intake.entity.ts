import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An incident triage received in its department (codes only; see triage-incident.store.ts for the rest). */
@Entity({ name: 'triage_intake' })
export class TriageIntakeEntity {
  @PrimaryColumn('text', { name: 'department_id' }) departmentId!: string;
  @PrimaryColumn('text', { name: 'incident_id' }) incidentId!: string;
  @Column('uuid', { name: 'source_event_id' }) sourceEventId!: string;
  @Column('text', { name: 'correlation_id' }) correlationId!: string;
  @Column('text', { name: 'call_type' }) callType!: string;
  @Column('text', { name: 'bh_related_to' }) bhRelatedTo!: string;
  @Column('text', { name: 'bh_observations', array: true }) bhObservations!: string[];
  @Column('integer', { name: 'subject_count' }) subjectCount!: number;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('text', { name: 'person_id', nullable: true }) personId!: string | null;
  @Column('boolean', { name: 'has_crisis_plan' }) hasCrisisPlan!: boolean;
}
