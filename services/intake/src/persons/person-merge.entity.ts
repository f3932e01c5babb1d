import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One merge of a person into another, with the subjects it moved so it can be undone exactly. */
@Entity({ name: 'person_merge' })
export class PersonMergeEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  @Column('text', { name: 'source_person_id' }) sourcePersonId!: string;
  @Column('text', { name: 'target_person_id' }) targetPersonId!: string;
  @Column('text', { name: 'moved_subject_ids', array: true }) movedSubjectIds!: string[];
  /** The person_identifier rows the merge re-pointed to the target; an undo gives back exactly these. */
  @Column('jsonb', { name: 'moved_identifiers' }) movedIdentifiers!: { kind: 'dob' | 'phone'; index: string }[];
  @Column('text') reason!: string;
  @Column('text', { name: 'merged_by' }) mergedBy!: string;
  @Column('timestamptz', { name: 'merged_at' }) mergedAt!: Date;
  @Column('text', { name: 'undone_by', nullable: true }) undoneBy!: string | null;
  @Column('timestamptz', { name: 'undone_at', nullable: true }) undoneAt!: Date | null;
  @Column('text', { name: 'undo_reason', nullable: true }) undoReason!: string | null;
}
