import { z } from 'zod';
import { expandTopics, partnerTopicName } from './topic-expansion.cjs';
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

/** The dead-letter topic of a topic. */
export function dlqTopicFor(topic: string): string {
  return `${topic}${topicManifest.dlqSuffix}`;
}

/** The per-agency referral delivery topic, e.g. cit.partner.metro-mobile-crisis.referrals.v1. */
export function partnerReferralTopic(agencyId: string): string {
  return partnerTopicName(topicManifest.partnerReferralTopic.pattern, agencyId);
}

/**
 * Every topic to provision (stream topics, partner topics for the given agencies, and all their DLQs),
 * through the same expansion infra/local and infra/provision use (topic-expansion.cjs).
 */
export function topicsToProvision(agencyIds: readonly string[] = []): TopicSpec[] {
  return expandTopics(topicManifest, agencyIds).map((t) => ({
    name: t.name,
    partitions: t.partitions,
    // The validated manifest gives every topic a retention, and dead-letter topics inherit it.
    retentionMs: t.retentionMs ?? topicManifest.partnerReferralTopic.retentionMs,
  }));
}
