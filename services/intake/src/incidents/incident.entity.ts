import type { BhCoding, Encounter, IncidentSource } from '@cit/contracts';
import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import type { IncidentSubjectEntity } from './incident-subject.entity';

/** A call for service. location_address and narrative hold ciphertext (enc:v1:...), never plaintext. */
@Entity({ name: 'incident' })
export class IncidentEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  @Column('text', { name: 'cad_call_number', nullable: true }) cadCallNumber!: string | null;
  @Column('text', { name: 'rms_incident_number', nullable: true }) rmsIncidentNumber!: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('text', { name: 'call_type' }) callType!: string;
  @Column('text', { nullable: true }) disposition!: string | null;
  @Column('text') encounter!: Encounter;
  @Column('text', { nullable: true }) district!: string | null;
  @Column('text', { name: 'location_address', nullable: true }) locationAddress!: string | null;
  @Column('double precision', { nullable: true }) latitude!: number | null;
  @Column('double precision', { nullable: true }) longitude!: number | null;
  @Column('text', { name: 'bh_related_to' }) bhRelatedTo!: BhCoding['relatedTo'];
  @Column('text', { name: 'bh_observations', array: true }) bhObservations!: string[];
  @Column('text', { name: 'bh_suspected_using', array: true }) bhSuspectedUsing!: string[];
  @Column('text', { nullable: true }) narrative!: string | null;
  @Column('text', { name: 'reporting_officer_id' }) reportingOfficerId!: string;
  @Column('text') source!: IncidentSource;
  @Column('integer') version!: number;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;

  @OneToMany('IncidentSubjectEntity', (s: IncidentSubjectEntity) => s.incident, { cascade: ['insert'] })
  subjects!: IncidentSubjectEntity[];
}
