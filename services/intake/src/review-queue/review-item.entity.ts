import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReviewItemStatus } from '@cit/contracts';
import type { ScreeningReason } from './screening';

/** A call screening found possibly behavioral-health related; at most one pending per incident. */
@Entity({ name: 'review_item' })
export class ReviewItemEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'incident_id' }) incidentId!: string;
  @Column('text', { name: 'department_id' }) departmentId!: string;
  /** Configured terms only (kind, rule, suggests), never narrative text. */
  @Column('jsonb') reasons!: ScreeningReason[];
  @Column('text') status!: ReviewItemStatus;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('text', { name: 'decided_by', nullable: true }) decidedBy!: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column('text', { name: 'decision_reason', nullable: true }) decisionReason!: string | null;
}
