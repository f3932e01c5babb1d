import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An Idempotency-Key already used in a department, with the hash of the request it came with. */
@Entity({ name: 'idempotency_key' })
export class IdempotencyKeyEntity {
  @PrimaryColumn('text', { name: 'department_id' }) departmentId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('text', { name: 'incident_id' }) incidentId!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
