'use strict';
// @ts-check
// The one expansion of topics.manifest.json into the topics to create. Plain CommonJS so that
// infra (infra/local, infra/provision: .mjs run without a build) and libs/contracts (topics.ts)
// load the same code; tsc type-checks it from the JSDoc below (allowJs).

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * @typedef {{ name: string, partitions: number, retentionMs?: number }} ManifestTopic
 * @typedef {{ pattern: string, partitions: number, retentionMs?: number }} ManifestPartnerTopic
 * @typedef {{ dlqSuffix?: string, dlqPartitions?: number, topics: ManifestTopic[], partnerReferralTopic?: ManifestPartnerTopic }} TopicManifestShape
 * @typedef {{ name: string, partitions: number, retentionMs?: number, dlq: boolean }} ExpandedTopic
 */

/**
 * Every topic to create: each manifest topic and its dead-letter topic, then per partner agency
 * the referral topic and its dead-letter topic (dead-letter topics keep their topic's retention).
 * @param {unknown} manifest parsed topics.manifest.json
 * @param {readonly string[]} [agencyIds] partner agency ids (e.g. from infra/local/demo/department.json)
 * @returns {ExpandedTopic[]}
 */
function expandTopics(manifest, agencyIds = []) {
  const m = /** @type {TopicManifestShape} */ (manifest);
  if (!m || !Array.isArray(m.topics)) throw new Error('topic manifest: "topics" array missing');
  const dlqSuffix = m.dlqSuffix || '.dlq';
  const dlqPartitions = positiveInt(m.dlqPartitions ?? 1, 'dlqPartitions');
  /** @type {ExpandedTopic[]} */
  const out = [];
  const seen = new Set();
  /** @type {(name: string, partitions: number, retentionMs: number | undefined, dlq: boolean) => void} */
  const add = (name, partitions, retentionMs, dlq) => {
    if (!TOPIC_NAME.test(name) || name === '.' || name === '..')
      throw new Error(`invalid topic name: ${JSON.stringify(name)}`);
    if (seen.has(name)) return;
    seen.add(name);
    /** @type {ExpandedTopic} */
    const t = { name, partitions, dlq };
    if (retentionMs !== undefined) t.retentionMs = retentionMs;
    out.push(t);
  };
  /** @type {(name: string, partitions: unknown, retentionMs: number | undefined) => void} */
  const withDlq = (name, partitions, retentionMs) => {
    add(name, positiveInt(partitions, `${name}.partitions`), retentionMs, false);
    add(name + dlqSuffix, dlqPartitions, retentionMs, true);
  };
  for (const t of m.topics) withDlq(t.name, t.partitions, t.retentionMs);
  const partner = m.partnerReferralTopic;
  if (partner && agencyIds.length) {
    if (!String(partner.pattern || '').includes('{agencyId}'))
      throw new Error('partnerReferralTopic.pattern lacks {agencyId}');
    for (const id of agencyIds) withDlq(partnerTopicName(partner.pattern, id), partner.partitions, partner.retentionMs);
  }
  return out;
}

/**
 * The per-agency topic name from the manifest's pattern; refuses ids that would make unsafe names.
 * @param {string} pattern e.g. cit.partner.{agencyId}.referrals.v1
 * @param {string} agencyId
 * @returns {string}
 */
function partnerTopicName(pattern, agencyId) {
  if (!AGENCY_ID.test(agencyId))
    throw new Error(`invalid agency id: ${JSON.stringify(agencyId)} (lowercase letters, digits and dashes)`);
  return pattern.split('{agencyId}').join(agencyId);
}

/**
 * Agency ids from a department file ({ agencies: [{ id }] }), a JSON array, or newline/comma text.
 * @param {string} text
 * @returns {string[]}
 */
function agencyIdsFrom(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const data = JSON.parse(trimmed);
    const list = Array.isArray(data) ? data : data.agencies || [];
    return list.map((/** @type {string | { id?: string }} */ a) => (typeof a === 'string' ? a : a.id)).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter((s) => s && !s.startsWith('#'));
}

/**
 * The Kafka mock launcher's topics file: one "<name> <partitions>" line per topic.
 * @param {readonly { name: string, partitions: number }[]} topics
 * @returns {string}
 */
function topicsFileText(topics) {
  return topics.map((t) => `${t.name} ${t.partitions}\n`).join('');
}

/**
 * @param {unknown} v
 * @param {string} what
 * @returns {number}
 */
function positiveInt(v, what) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`topic manifest: ${what} must be a positive integer`);
  return n;
}

module.exports = { expandTopics, partnerTopicName, agencyIdsFrom, topicsFileText };
