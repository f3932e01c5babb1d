import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Narrative appended after the report; narrative is ciphertext. */
@Entity({ name: 'incident_supplement' })
export class IncidentSupplementEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'incident_id' }) incidentId!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  @Column('text') narrative!: string;
  @Column('text', { name: 'added_by' }) addedBy!: string;
  @Column('timestamptz', { name: 'added_at' }) addedAt!: Date;
}
