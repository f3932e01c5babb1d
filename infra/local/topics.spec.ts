import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Plain CommonJS helpers shared with infra/local/cit.mjs and infra/provision/provision-topics.mjs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('./lib/topics.cjs') as {
  expandTopics(manifest: unknown, agencyIds?: string[]): { name: string; partitions: number; retentionMs?: number; dlq: boolean }[];
  agencyIdsFrom(text: string): string[];
  topicsFileText(topics: { name: string; partitions: number }[]): string;
  formatDotenv(vars: Record<string, string | undefined>, header?: string): string;
  parseDotenv(text: string): Record<string, string>;
  jestCounts(report: unknown): { passed: number; failed: number; skipped: number };
  summaryLine(c: { passed: number; failed: number; skipped: number }): string;
};

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
    expect(lib.expandTopics(small)).toEqual([
      { name: 'a.v1', partitions: 6, retentionMs: 1000, dlq: false },
      { name: 'a.v1.dlq', partitions: 2, retentionMs: 1000, dlq: true },
      { name: 'b.v1', partitions: 3, dlq: false },
      { name: 'b.v1.dlq', partitions: 2, dlq: true },
    ]);
  });

  it('adds a partner referral topic and its dead-letter topic per agency', () => {
    const names = lib.expandTopics(small, ['x-1', 'y']).map((t) => `${t.name} ${t.partitions}`);
    expect(names.slice(4)).toEqual(['p.x-1.r.v1 4', 'p.x-1.r.v1.dlq 2', 'p.y.r.v1 4', 'p.y.r.v1.dlq 2']);
  });

  it('rejects agency ids that would make unsafe topic names', () => {
    expect(() => lib.expandTopics(small, ['../etc'])).toThrow(/invalid agency id/);
    expect(() => lib.expandTopics(small, ['a b'])).toThrow(/invalid agency id/);
  });

  it('rejects a manifest without topics or with bad partition counts', () => {
    expect(() => lib.expandTopics({})).toThrow(/topics/);
    expect(() => lib.expandTopics({ topics: [{ name: 'a', partitions: 0 }] })).toThrow(/positive integer/);
  });

  it('expands the real manifest with the demo agencies', () => {
    const agencies = lib.agencyIdsFrom(department);
    expect(agencies.length).toBeGreaterThan(0);
    const topics = lib.expandTopics(manifest, agencies);
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
    const text = lib.topicsFileText(topics);
    expect(text.trimEnd().split('\n')).toHaveLength(topics.length);
    expect(text).toMatch(/^\S+ \d+\n/);
  });

  it('reads agency ids from a department file, a JSON array or plain text', () => {
    expect(lib.agencyIdsFrom('{"agencies":[{"id":"a"},{"id":"b"}]}')).toEqual(['a', 'b']);
    expect(lib.agencyIdsFrom('["a","b"]')).toEqual(['a', 'b']);
    expect(lib.agencyIdsFrom('a, b\nc')).toEqual(['a', 'b', 'c']);
    expect(lib.agencyIdsFrom('')).toEqual([]);
  });
});

describe('dotenv and test summary helpers', () => {
  it('round-trips dotenv values, quoting where needed and skipping undefined', () => {
    const text = lib.formatDotenv({ A: 'x=y/+', B: 'has space', C: undefined, D: 'q"uote' }, 'header line');
    expect(text.startsWith('# header line\n')).toBe(true);
    expect(text).not.toContain('C=');
    expect(lib.parseDotenv(text)).toEqual({ A: 'x=y/+', B: 'has space', D: 'q"uote' });
    expect(() => lib.formatDotenv({ A: 'a\nb' })).toThrow(/newline/);
  });

  it('counts jest results, including suites that failed to run', () => {
    const report = {
      testResults: [
        { status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'pending' }, { status: 'todo' }] },
        { status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'passed' }] },
        { status: 'failed', assertionResults: [] },
      ],
    };
    expect(lib.jestCounts(report)).toEqual({ passed: 2, failed: 2, skipped: 2 });
    expect(lib.summaryLine({ passed: 2, failed: 2, skipped: 2 })).toBe('2 passed, 2 failed, 2 skipped');
    expect(lib.summaryLine({ passed: 5, failed: 0, skipped: 0 })).toBe('5 passed, 0 failed');
  });
});
