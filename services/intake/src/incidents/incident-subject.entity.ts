import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { IncidentEntity } from './incident.entity';

/** A person involved in an incident. Identity columns hold ciphertext; person_match_index is a blind index. */
@Entity({ name: 'incident_subject' })
export class IncidentSubjectEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'incident_id' }) incidentId!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  @Column('integer') ordinal!: number;
  @Column('text') name!: string;
  @Column('text', { name: 'date_of_birth', nullable: true }) dateOfBirth!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { nullable: true }) language!: string | null;
  @Column('boolean') juvenile!: boolean;
  @Column('boolean') senior!: boolean;
  @Column('boolean') veteran!: boolean;
  @Column('boolean', { name: 'experiencing_homelessness' }) experiencingHomelessness!: boolean;
  @Column('text', { name: 'person_match_index', nullable: true }) personMatchIndex!: string | null;
  @Column('text', { name: 'person_phone_index', nullable: true }) personPhoneIndex!: string | null;
  @Column('text', { name: 'person_id', nullable: true }) personId!: string | null;

  @ManyToOne('IncidentEntity', (i: IncidentEntity) => i.subjects, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id' })
  incident?: IncidentEntity;
}
