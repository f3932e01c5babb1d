import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The one topic expansion (libs/contracts), as the local broker and production provisioning load it.
import { agencyIdsFrom, expandTopics, topicsFileText } from '../../libs/contracts/src/topic-expansion.cjs';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'libs/contracts/src/topics.manifest.json'), 'utf8'));
const department = readFileSync(join(root, 'infra/local/demo/department.json'), 'utf8');

describe('topic manifest expansion', () => {
  const small = {
    dlqSuffix: '.dlq',
    dlqPartitions: 2,
    topics: [
      { name: 'a.v1', partitions: 6, retentionMs: 1000 },
      { name: 'b.v1', partitions: 3 },
    ],
    partnerReferralTopic: { pattern: 'p.{agencyId}.r.v1', partitions: 4, retentionMs: 500 },
  };

  it('gives every topic a dead-letter topic with dlqPartitions partitions', () => {
    expect(expandTopics(small)).toEqual([
      { name: 'a.v1', partitions: 6, retentionMs: 1000, dlq: false },
      { name: 'a.v1.dlq', partitions: 2, retentionMs: 1000, dlq: true },
      { name: 'b.v1', partitions: 3, dlq: false },
      { name: 'b.v1.dlq', partitions: 2, dlq: true },
    ]);
  });

  it('adds a partner referral topic and its dead-letter topic per agency', () => {
    const names = expandTopics(small, ['x-1', 'y']).map((t) => `${t.name} ${t.partitions}`);
    expect(names.slice(4)).toEqual(['p.x-1.r.v1 4', 'p.x-1.r.v1.dlq 2', 'p.y.r.v1 4', 'p.y.r.v1.dlq 2']);
  });

  it('rejects agency ids that would make unsafe topic names', () => {
    expect(() => expandTopics(small, ['../etc'])).toThrow(/invalid agency id/);
    expect(() => expandTopics(small, ['a b'])).toThrow(/invalid agency id/);
  });

  it('rejects a manifest without topics or with bad partition counts', () => {
    expect(() => expandTopics({})).toThrow(/topics/);
    expect(() => expandTopics({ topics: [{ name: 'a', partitions: 0 }] })).toThrow(/positive integer/);
  });

  it('expands the real manifest with the demo agencies', () => {
    const agencies = agencyIdsFrom(department);
    expect(agencies.length).toBeGreaterThan(0);
    const topics = expandTopics(manifest, agencies);
    const names = new Set(topics.map((t) => t.name));
    expect(names.size).toBe(topics.length);
    for (const t of manifest.topics) {
      expect(names).toContain(t.name);
      expect(names).toContain(`${t.name}${manifest.dlqSuffix}`);
    }
    for (const id of agencies) {
      const partner = manifest.partnerReferralTopic.pattern.replace('{agencyId}', id);
      expect(names).toContain(partner);
      expect(names).toContain(`${partner}${manifest.dlqSuffix}`);
    }
    expect(topics).toHaveLength(2 * (manifest.topics.length + agencies.length));
    const text = topicsFileText(topics);
    expect(text.trimEnd().split('\n')).toHaveLength(topics.length);
    expect(text).toMatch(/^\S+ \d+\n/);
  });

  it('reads agency ids from a department file, a JSON array or plain text', () => {
    expect(agencyIdsFrom('{"agencies":[{"id":"a"},{"id":"b"}]}')).toEqual(['a', 'b']);
    expect(agencyIdsFrom('["a","b"]')).toEqual(['a', 'b']);
    expect(agencyIdsFrom('a, b\nc')).toEqual(['a', 'b', 'c']);
    expect(agencyIdsFrom('')).toEqual([]);
  });
});
