import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A partner agency of a department's directory; `hsds` holds its HSDS 3.1 organization record. */
@Entity({ name: 'partner_agency' })
export class PartnerAgencyEntity {
  @PrimaryColumn('text', { name: 'department_id' }) departmentId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('jsonb') hsds!: Record<string, unknown>;
  @Column('boolean') active!: boolean;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
