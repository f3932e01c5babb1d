import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A department's screening rules. Each text[] entry is "<category>:<term>" (e.g.
 * "mental-health:suicid"); see screening-config.codec.ts.
 */
@Entity({ name: 'screening_config' })
export class ScreeningConfigEntity {
  @PrimaryColumn('text', { name: 'department_id' }) departmentId!: string;
  @Column('text', { name: 'call_types', array: true }) callTypes!: string[];
  @Column('text', { array: true }) keywords!: string[];
  @Column('text', { array: true }) phrases!: string[];
  @Column('text', { array: true }) observations!: string[];
  @Column('integer') version!: number;
  @Column('text', { name: 'updated_by' }) updatedBy!: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
