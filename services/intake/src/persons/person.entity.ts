import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person seen in the department's incidents. No PHI here: identity lives encrypted on incident_subject. */
@Entity({ name: 'person' })
export class PersonEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  @Column('text', { name: 'merged_into', nullable: true }) mergedInto!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
