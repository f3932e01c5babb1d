import { z } from 'zod';
import manifestJson from './topics.manifest.json';

const topicSchema = z.object({
  name: z.string().regex(/^cit\.[a-z-]+\.v[0-9]+$/),
  partitions: z.number().int().positive(),
  retentionMs: z.number().int().positive(),
  owner: z.string(),
  description: z.string(),
});

const manifestSchema = z.object({
  dlqSuffix: z.literal('.dlq'),
  dlqPartitions: z.number().int().positive(),
  topics: z.array(topicSchema).min(1),
  partnerReferralTopic: z.object({
    pattern: z.string().includes('{agencyId}'),
    partitions: z.number().int().positive(),
    retentionMs: z.number().int().positive(),
    owner: z.string(),
    description: z.string(),
  }),
});

/** The topic manifest: names, partitions, DLQs and the per-agency pattern (one source for all provisioning). */
export const topicManifest = manifestSchema.parse(manifestJson);
export type TopicManifest = z.infer<typeof manifestSchema>;

export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
}

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The dead-letter topic of a topic. */
export function dlqTopicFor(topic: string): string {
  return `${topic}${topicManifest.dlqSuffix}`;
}

/** The per-agency referral delivery topic, e.g. cit.partner.metro-mobile-crisis.referrals.v1. */
export function partnerReferralTopic(agencyId: string): string {
  if (!AGENCY_ID.test(agencyId)) throw new Error('agency id must be lowercase letters, digits and dashes');
  return topicManifest.partnerReferralTopic.pattern.replace('{agencyId}', agencyId);
}

/** Every topic to provision (stream topics, partner topics for the given agencies, and all their DLQs). */
export function topicsToProvision(agencyIds: readonly string[] = []): TopicSpec[] {
  const m = topicManifest;
  const base: TopicSpec[] = [
    ...m.topics.map((t) => ({ name: t.name, partitions: t.partitions, retentionMs: t.retentionMs })),
    ...agencyIds.map((a) => ({
      name: partnerReferralTopic(a),
      partitions: m.partnerReferralTopic.partitions,
      retentionMs: m.partnerReferralTopic.retentionMs,
    })),
  ];
  return base.flatMap((t) => [t, { name: dlqTopicFor(t.name), partitions: m.dlqPartitions, retentionMs: t.retentionMs }]);
}
