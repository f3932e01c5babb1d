'use strict';
// Pure helpers shared by infra/local/cit.mjs (local broker), infra/provision/provision-topics.mjs
// (real Kafka) and their tests. CommonJS so that jest (.spec.ts) can require it directly.

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Expands the topic manifest (libs/contracts/src/topics.manifest.json) into the full list of
 * topics to create: every manifest topic, its dead-letter topic, and per partner agency the
 * referral topic and its dead-letter topic.
 * @param {object} manifest parsed manifest
 * @param {string[]} agencyIds partner agency ids (e.g. from infra/local/demo/department.json)
 * @returns {{name: string, partitions: number, retentionMs?: number, dlq: boolean}[]}
 */
function expandTopics(manifest, agencyIds = []) {
  if (!manifest || !Array.isArray(manifest.topics)) throw new Error('topic manifest: "topics" array missing');
  const dlqSuffix = manifest.dlqSuffix || '.dlq';
  const dlqPartitions = positiveInt(manifest.dlqPartitions ?? 1, 'dlqPartitions');
  const out = [];
  const seen = new Set();
  const add = (name, partitions, retentionMs, dlq) => {
    if (!TOPIC_NAME.test(name) || name === '.' || name === '..') throw new Error(`invalid topic name: ${JSON.stringify(name)}`);
    if (seen.has(name)) return;
    seen.add(name);
    const t = { name, partitions, dlq };
    if (retentionMs !== undefined) t.retentionMs = retentionMs;
    out.push(t);
  };
  const withDlq = (name, partitions, retentionMs) => {
    add(name, positiveInt(partitions, `${name}.partitions`), retentionMs, false);
    add(name + dlqSuffix, dlqPartitions, retentionMs, true);
  };
  for (const t of manifest.topics) withDlq(t.name, t.partitions, t.retentionMs);
  const partner = manifest.partnerReferralTopic;
  if (partner && agencyIds.length) {
    if (!String(partner.pattern || '').includes('{agencyId}')) throw new Error('partnerReferralTopic.pattern lacks {agencyId}');
    for (const id of agencyIds) {
      if (!AGENCY_ID.test(id)) throw new Error(`invalid agency id: ${JSON.stringify(id)}`);
      withDlq(partner.pattern.split('{agencyId}').join(id), partner.partitions, partner.retentionMs);
    }
  }
  return out;
}

/** Agency ids from a department file ({ agencies: [{ id }] }), a JSON array, or newline/comma text. */
function agencyIdsFrom(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const data = JSON.parse(trimmed);
    const list = Array.isArray(data) ? data : data.agencies || [];
    return list.map((a) => (typeof a === 'string' ? a : a.id)).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter((s) => s && !s.startsWith('#'));
}

/** The launcher's topics file: one "<name> <partitions>" line per topic. */
function topicsFileText(topics) {
  return topics.map((t) => `${t.name} ${t.partitions}\n`).join('');
}

/** Serializes a dotenv file; values with spaces, quotes or # are double-quoted. */
function formatDotenv(vars, header) {
  const lines = header ? header.split('\n').map((l) => `# ${l}`) : [];
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined || v === null) continue;
    if (!/^[A-Z_][A-Z0-9_]*$/.test(k)) throw new Error(`invalid env key: ${k}`);
    const s = String(v);
    if (/[\n\r]/.test(s)) throw new Error(`env value for ${k} contains a newline`);
    lines.push(/[\s"'#]/.test(s) ? `${k}="${s.replace(/"/g, '\\"')}"` : `${k}=${s}`);
  }
  return lines.join('\n') + '\n';
}

/** Parses dotenv text (KEY=VALUE, # comments, optional surrounding quotes). */
function parseDotenv(text) {
  const out = {};
  for (const raw of String(text).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && ((value[0] === '"' && value.endsWith('"')) || (value[0] === "'" && value.endsWith("'")))) {
      value = value.slice(1, -1).replace(/\\"/g, '"');
    }
    out[line.slice(0, eq).trim()] = value;
  }
  return out;
}

/** Turns `jest --json` results into counts; suites that failed without a failing test count once. */
function jestCounts(report) {
  let passed = 0, failed = 0, skipped = 0;
  for (const suite of report.testResults || []) {
    const assertions = suite.assertionResults || [];
    let suiteFailed = 0;
    for (const a of assertions) {
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') { failed++; suiteFailed++; }
      else skipped++; // every other jest status counts as skipped
    }
    if (suite.status === 'failed' && suiteFailed === 0) failed++;
  }
  return { passed, failed, skipped };
}

/** The summary line printed last by `cit test`. */
function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
}

function positiveInt(v, what) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`topic manifest: ${what} must be a positive integer`);
  return n;
}

module.exports = { expandTopics, agencyIdsFrom, topicsFileText, formatDotenv, parseDotenv, jestCounts, summaryLine };
