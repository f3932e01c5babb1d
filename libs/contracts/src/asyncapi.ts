import { eventCatalog } from './catalog';
import { eventSource } from './envelope';
import type { EventDefinition } from './event-definition';
import { eventJsonSchema, type JsonSchema } from './json-schema';
import { PARTNER_REFERRAL_EVENT_TYPES } from './event-origin';
import { dlqTopicFor, topicManifest } from './topics';

const PARTNER_CHANNEL = 'partnerReferrals';

function stripSchemaKeyword(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, $id: _id, ...rest } = schema;
  return rest;
}

function exampleEvent(def: EventDefinition): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: '3f0e8f0c-3a43-4d1c-9e4b-5c2d7b1f9a10',
    source: eventSource(def.producer),
    type: def.type,
    subject: Object.values(def.example as Record<string, unknown>)[0],
    time: '2026-11-27T07:16:31.000Z',
    datacontenttype: 'application/json',
    departmentid: 'demo',
    correlationid: 'c0ffee00-0000-4000-8000-000000000001',
    data: def.example,
  };
}

/**
 * The AsyncAPI 3.0 document partner agencies read: every stream topic, the per-agency
 * referral topic, the CloudEvents payload of every message, and Kafka bindings.
 */
export function buildAsyncApiDocument(version = '1.0.0'): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  for (const def of eventCatalog as readonly EventDefinition[]) {
    messages[def.type] = {
      name: def.type,
      title: def.type,
      summary: def.summary,
      contentType: 'application/json',
      headers: {
        type: 'object',
        description: 'Kafka headers carry ids only, never PHI.',
        properties: {
          ce_id: { type: 'string' },
          ce_type: { type: 'string', const: def.type },
          ce_departmentid: { type: 'string' },
          ce_correlationid: { type: 'string' },
        },
      },
      payload: stripSchemaKeyword(eventJsonSchema(def, 'draft-7')),
      bindings: {
        kafka: {
          key: { type: 'string', description: `The ${def.aggregate} id (CloudEvents subject)` },
          bindingVersion: '0.5.0',
        },
      },
      examples: [{ name: 'example', payload: exampleEvent(def) }],
    };
  }

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const topic of topicManifest.topics) {
    const defs = (eventCatalog as readonly EventDefinition[]).filter((d) => d.topic === topic.name);
    channels[topic.name] = {
      address: topic.name,
      title: topic.name,
      description: `${topic.description} Dead letters: ${dlqTopicFor(topic.name)}.`,
      messages: Object.fromEntries(defs.map((d) => [d.type, { $ref: `#/components/messages/${d.type}` }])),
      bindings: { kafka: { topic: topic.name, partitions: topic.partitions, bindingVersion: '0.5.0' } },
    };
    operations[`publish.${topic.name}`] = {
      action: 'send',
      title: `Publish to ${topic.name}`,
      summary: `The ${topic.owner} service publishes these events through its transactional outbox.`,
      channel: { $ref: `#/channels/${topic.name}` },
      messages: defs.map((d) => ({ $ref: `#/channels/${topic.name}/messages/${d.type}` })),
    };
  }

  const partner = topicManifest.partnerReferralTopic;
  channels[PARTNER_CHANNEL] = {
    address: partner.pattern,
    title: 'Partner agency referrals',
    description: `${partner.description} Each agency may read only its own topic.`,
    parameters: { agencyId: { description: 'The partner agency id in the partner directory.' } },
    messages: Object.fromEntries(
      PARTNER_REFERRAL_EVENT_TYPES.map((type) => [type, { $ref: `#/components/messages/${type}` }]),
    ),
    bindings: { kafka: { partitions: partner.partitions, bindingVersion: '0.5.0' } },
  };
  operations['deliver.partnerReferrals'] = {
    action: 'send',
    title: 'Deliver referrals to a partner agency',
    summary: 'Minimum-necessary referral payloads, one topic per agency.',
    channel: { $ref: `#/channels/${PARTNER_CHANNEL}` },
    messages: PARTNER_REFERRAL_EVENT_TYPES.map((type) => ({ $ref: `#/channels/${PARTNER_CHANNEL}/messages/${type}` })),
  };

  return {
    asyncapi: '3.0.0',
    id: 'urn:cit-platform:events',
    info: {
      title: 'CIT Platform events',
      version,
      description:
        'Events of the CIT Platform in CloudEvents 1.0 structured mode (JSON). Keys are aggregate ids; ' +
        'headers and keys never carry PHI; PHI fields in payloads are field-encrypted (enc:v1:...).',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: 'kafka.cit.example:9093',
        protocol: 'kafka-secure',
        description: 'Department Kafka cluster (TLS, SASL per partner agency).',
      },
    },
    channels,
    operations,
    components: { messages },
  };
}
