import { eventCatalog } from './catalog';
import { eventSource } from './envelope';
import {
  allowedEventSources,
  checkEventOrigin,
  eventTypesOnTopic,
  isPartnerReferralTopic,
  platformServices,
} from './event-origin';
import { partnerReferralTopic, topicManifest } from './topics';

describe('event origin: which types may arrive on a topic, and from whom', () => {
  it("gives every type's producer the topic it is published on (the manifest's owner of that topic)", () => {
    for (const def of eventCatalog) {
      const topic = topicManifest.topics.find((t) => t.name === def.topic);
      expect({ type: def.type, topic: topic?.name, owner: topic?.owner }).toEqual({
        type: def.type,
        topic: def.topic,
        owner: def.producer,
      });
      expect(eventTypesOnTopic(def.topic)).toContain(def.type);
    }
  });

  it("accepts a type on its own topic from its producer's source", () => {
    expect(checkEventOrigin('cit.incident.v1', 'cit.incident.reported.v1', '/cit/intake')).toEqual({ ok: true });
    expect(checkEventOrigin('cit.case.v1', 'cit.case.opened.v1', eventSource('triage'))).toEqual({ ok: true });
  });

  it('refuses a type the contracts define for another topic, or for no topic', () => {
    expect(checkEventOrigin('cit.case.v1', 'cit.incident.reported.v1', '/cit/intake')).toEqual({
      ok: false,
      reason: 'type-not-on-topic',
      error: 'type cit.incident.reported.v1 is not an event of topic cit.case.v1',
    });
    expect(checkEventOrigin('cit.incident.v1', 'cit.incident.exploded.v1', '/cit/intake')).toMatchObject({
      reason: 'type-not-on-topic',
    });
    expect(checkEventOrigin('cit.unknown.v1', 'cit.incident.reported.v1', '/cit/intake')).toMatchObject({
      reason: 'type-not-on-topic',
    });
  });

  it('refuses a source other than the producer, without quoting it', () => {
    const forged = '/cit/triage?name=Jane Q. Public';
    const check = checkEventOrigin('cit.incident.v1', 'cit.incident.reported.v1', forged);
    expect(check).toEqual({
      ok: false,
      reason: 'source-not-producer',
      error: 'source is not the producer of cit.incident.reported.v1 (expected /cit/intake)',
    });
    expect(JSON.stringify(check)).not.toContain('Jane');
    expect(checkEventOrigin('cit.incident.v1', 'cit.incident.reported.v1', '/cit/intake/')).toMatchObject({
      reason: 'source-not-producer',
    });
  });

  it('lets every platform service emit break-glass notices under its own source, and nobody else', () => {
    expect(platformServices).toEqual(expect.arrayContaining(['intake', 'triage', 'referral', 'followup']));
    for (const service of platformServices)
      expect(checkEventOrigin('cit.audit.v1', 'cit.audit.break-glass-access.v1', eventSource(service))).toEqual({
        ok: true,
      });
    expect(checkEventOrigin('cit.audit.v1', 'cit.audit.break-glass-access.v1', '/cit/partner')).toMatchObject({
      reason: 'source-not-producer',
    });
    expect(allowedEventSources('cit.incident.reported.v1')).toEqual(['/cit/intake']);
    expect(allowedEventSources('cit.nothing.here.v1')).toEqual([]);
  });

  it('takes only referral deliveries from referral on a partner topic', () => {
    const topic = partnerReferralTopic('metro-mobile-crisis');
    expect(isPartnerReferralTopic(topic)).toBe(true);
    expect(isPartnerReferralTopic('cit.partner.Bad Agency.referrals.v1')).toBe(false);
    expect(isPartnerReferralTopic('cit.referral.v1')).toBe(false);
    expect(checkEventOrigin(topic, 'cit.referral.requested.v1', '/cit/referral')).toEqual({ ok: true });
    expect(checkEventOrigin(topic, 'cit.referral.requested.v1', '/cit/triage')).toMatchObject({
      reason: 'source-not-producer',
    });
    expect(checkEventOrigin(topic, 'cit.referral.status-changed.v1', '/cit/referral')).toEqual({ ok: true });
    expect(checkEventOrigin(topic, 'cit.referral.mou-changed.v1', '/cit/referral')).toMatchObject({
      reason: 'type-not-on-topic',
    });
  });
});
