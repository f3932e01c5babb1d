import { dlqTopicFor, partnerReferralTopic, topicManifest, topicsToProvision } from './topics';

describe('topic manifest', () => {
  it('gives every stream topic and every partner topic a dead-letter topic', () => {
    const specs = topicsToProvision(['metro-mobile-crisis']);
    const names = specs.map((s) => s.name);
    for (const t of topicManifest.topics) {
      expect(names).toContain(t.name);
      expect(names).toContain(`${t.name}.dlq`);
    }
    expect(names).toContain('cit.partner.metro-mobile-crisis.referrals.v1');
    expect(names).toContain('cit.partner.metro-mobile-crisis.referrals.v1.dlq');
    expect(specs).toHaveLength((topicManifest.topics.length + 1) * 2);
  });

  it('names dead-letter topics with the manifest suffix', () => {
    expect(dlqTopicFor('cit.incident.v1')).toBe('cit.incident.v1.dlq');
  });

  it('refuses agency ids that would make a malformed topic name', () => {
    expect(() => partnerReferralTopic('Bad Agency/..')).toThrow(/agency id/);
  });
});
