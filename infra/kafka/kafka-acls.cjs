'use strict';
// @ts-check
// Kafka principals and ACLs derived from the topic manifest (owners write) and the consumer
// table (consumers.json: services read). Plain CommonJS so the tools image runs it without a
// build; kafka-acls.spec.ts checks what it grants, kafka-security.mjs renders the commands.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, run without a build
const { partnerTopicName } = require('../../libs/contracts/src/topic-expansion.cjs');

/** The services, each with its own SCRAM principal cit-<service>. */
const SERVICES = ['intake', 'triage', 'referral', 'conference', 'followup'];
/** Operations tooling (dead-letter listing and replay): reads dead letters, writes any topic to replay one. */
const OPS_PRINCIPAL = 'cit-ops';

/**
 * @typedef {{ name: string, owner: string }} ManifestTopic
 * @typedef {{ dlqSuffix?: string, topics: ManifestTopic[], partnerReferralTopic?: { pattern: string, owner: string } }} Manifest
 * @typedef {{ services: Record<string, string[]> }} ConsumerTable
 * @typedef {'TOPIC' | 'GROUP'} ResourceType
 * @typedef {'LITERAL' | 'PREFIXED'} PatternType
 * @typedef {'READ' | 'WRITE' | 'DESCRIBE'} Operation
 * @typedef {{ principal: string, resourceType: ResourceType, patternType: PatternType, resource: string, operation: Operation }} AclBinding
 */

/** @param {string} service */
const servicePrincipal = (service) => `cit-${service}`;
/** @param {string} agencyId */
const partnerPrincipal = (agencyId) => `partner-${agencyId}`;

/**
 * Every ACL binding: allow-only, literal names except consumer groups with a per-process
 * suffix (partners' own groups, the ops tool's dead-letter readers). Nothing else is allowed:
 * the broker denies what no binding grants (allow.everyone.if.no.acl.found=false).
 *  - a service writes the topics it owns, the platform topics whose owner is no service (the
 *    audit topic: every service publishes there through its outbox) and the dead-letter topics
 *    of what it consumes; referral also writes each partner agency's topic;
 *  - a service reads what consumers.json says it consumes, with its group cit.<service>;
 *  - a partner reads its own agency topic only, with groups named cit.partner.<agencyId>.*;
 *  - cit-ops reads every dead-letter topic and writes every topic (replay).
 * @param {Manifest} manifest
 * @param {ConsumerTable} consumers
 * @param {readonly string[]} agencyIds
 * @returns {AclBinding[]}
 */
function aclBindings(manifest, consumers, agencyIds) {
  const dlq = manifest.dlqSuffix || '.dlq';
  const known = new Set(manifest.topics.map((t) => t.name));
  for (const [service, topics] of Object.entries(consumers.services)) {
    if (!SERVICES.includes(service)) throw new Error(`consumers.json: unknown service ${service}`);
    for (const t of topics)
      if (!known.has(t)) throw new Error(`consumers.json: ${service} consumes unknown topic ${t}`);
  }
  const partnerTopics = manifest.partnerReferralTopic
    ? agencyIds.map((a) => ({ agency: a, topic: partnerTopicName(manifest.partnerReferralTopic.pattern, a) }))
    : [];
  /** @type {AclBinding[]} */
  const out = [];
  /** @type {(principal: string, resourceType: ResourceType, patternType: PatternType, resource: string, operation: Operation) => void} */
  const allow = (principal, resourceType, patternType, resource, operation) =>
    out.push({ principal, resourceType, patternType, resource, operation });

  for (const service of SERVICES) {
    const p = servicePrincipal(service);
    const consumed = consumers.services[service] ?? [];
    const writes = new Set([
      ...manifest.topics.filter((t) => t.owner === service || !SERVICES.includes(t.owner)).map((t) => t.name),
      ...consumed.map((t) => t + dlq),
    ]);
    if (manifest.partnerReferralTopic?.owner === service) for (const { topic } of partnerTopics) writes.add(topic);
    for (const topic of [...writes].sort()) allow(p, 'TOPIC', 'LITERAL', topic, 'WRITE');
    for (const topic of [...consumed].sort()) allow(p, 'TOPIC', 'LITERAL', topic, 'READ');
    if (consumed.length) allow(p, 'GROUP', 'LITERAL', `cit.${service}`, 'READ');
  }
  for (const { agency, topic } of partnerTopics) {
    allow(partnerPrincipal(agency), 'TOPIC', 'LITERAL', topic, 'READ');
    allow(partnerPrincipal(agency), 'GROUP', 'PREFIXED', `cit.partner.${agency}.`, 'READ');
  }
  const everyTopic = [...manifest.topics.map((t) => t.name), ...partnerTopics.map((t) => t.topic)].sort();
  for (const topic of everyTopic) allow(OPS_PRINCIPAL, 'TOPIC', 'LITERAL', topic + dlq, 'READ');
  for (const topic of everyTopic) allow(OPS_PRINCIPAL, 'TOPIC', 'LITERAL', topic, 'WRITE');
  // libs/messaging readDeadLetters reads with a throwaway group cit-dlq-reader-<uuid>.
  allow(OPS_PRINCIPAL, 'GROUP', 'PREFIXED', 'cit-dlq-reader-', 'READ');
  return out;
}

/**
 * The SCRAM users to create: each service, cit-ops and each partner, with the environment
 * variable holding its password (KAFKA_PASSWORD_CIT_INTAKE, KAFKA_PASSWORD_PARTNER_HARBOR_RECOVERY).
 * @param {readonly string[]} agencyIds
 * @returns {{ user: string, passwordVariable: string }[]}
 */
function scramUsers(agencyIds) {
  return [...SERVICES.map(servicePrincipal), OPS_PRINCIPAL, ...agencyIds.map(partnerPrincipal)].map((user) => ({
    user,
    passwordVariable: passwordVariable(user),
  }));
}

/** @param {string} user */
function passwordVariable(user) {
  return `KAFKA_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** @param {string} s */
const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A POSIX shell script for the Kafka image (its /opt/kafka/bin tools): creates the SCRAM
 * users with the passwords from their variables (never written into the script) and adds
 * every ACL binding. Idempotent: both tools overwrite or skip what exists.
 * @param {AclBinding[]} bindings
 * @param {{ user: string, passwordVariable: string }[]} users
 * @param {{ bootstrap: string, commandConfig: string, mechanism?: string }} options
 * @returns {string}
 */
function renderScript(bindings, users, options) {
  const mechanism = options.mechanism || 'SCRAM-SHA-512';
  const base = `--bootstrap-server ${shellQuote(options.bootstrap)} --command-config ${shellQuote(options.commandConfig)}`;
  const lines = [
    '#!/bin/sh',
    '# Generated by infra/kafka/kafka-security.mjs from libs/contracts/src/topics.manifest.json and',
    '# infra/kafka/consumers.json. Passwords come from the environment, never from this file.',
    'set -eu',
  ];
  // kafka-configs parses "[password=...]": brackets, commas and quotes in a password would break it.
  for (const { passwordVariable: v } of users)
    lines.push(
      `: "\${${v}:?${v} is required (SCRAM password)}"`,
      `case "$${v}" in *[!A-Za-z0-9._~-]*) echo "${v} may hold only A-Z a-z 0-9 . _ ~ -" >&2; exit 1 ;; esac`,
      `[ "\${#${v}}" -ge 16 ] || { echo "${v} must be at least 16 characters" >&2; exit 1; }`,
    );
  for (const { user, passwordVariable: v } of users)
    lines.push(
      `/opt/kafka/bin/kafka-configs.sh ${base} --alter --entity-type users --entity-name ${shellQuote(user)} --add-config "${mechanism}=[iterations=8192,password=$${v}]" > /dev/null`,
    );
  for (const b of bindings)
    lines.push(
      `/opt/kafka/bin/kafka-acls.sh ${base} --add --allow-principal ${shellQuote(`User:${b.principal}`)} --operation ${b.operation} ${b.resourceType === 'TOPIC' ? '--topic' : '--group'} ${shellQuote(b.resource)} --resource-pattern-type ${b.patternType.toLowerCase()} > /dev/null`,
    );
  lines.push(`echo "kafka security: ${users.length} SCRAM users, ${bindings.length} ACL bindings"`);
  return `${lines.join('\n')}\n`;
}

module.exports = {
  SERVICES,
  OPS_PRINCIPAL,
  servicePrincipal,
  partnerPrincipal,
  passwordVariable,
  aclBindings,
  scramUsers,
  renderScript,
};
