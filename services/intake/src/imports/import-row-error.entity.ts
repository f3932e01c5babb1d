import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A rejected import row: line number, field(s) and rule. Never the value (it may be PHI). */
@Entity({ name: 'import_row_error' })
export class ImportRowErrorEntity {
  @PrimaryColumn('text', { name: 'import_id' }) importId!: string;
  @PrimaryColumn('integer') line!: number;
  @Column('text', { nullable: true }) field!: string | null;
  @PrimaryColumn('text') reason!: string;
}
