import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, webhookHeaders, webhookUrlProblem } from './webhook-signature';

describe('Standard Webhooks signing', () => {
  it('signs so that the standardwebhooks package verifies with each valid secret, and only those', () => {
    const [current, previous, other] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: 'cit.referral.requested.v1', data: { referralId: 'ref_1' } });
    const headers = webhookHeaders([current, previous], 'whd_1', body);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(body + ' ', headers)).toThrow();
    expect(() => new Webhook(current).verify(body, { ...headers, 'webhook-id': 'whd_2' })).toThrow();
  });

  it.each([
    ['https://partner.example/hooks', null],
    ['http://127.0.0.1:8080/h', null],
    ['http://partner.example/h', 'must use https (http only to localhost)'],
    ['ftp://partner.example/h', 'must use https (http only to localhost)'],
    ['https://user:pw@partner.example/h', 'must not carry credentials'],
    ['https://partner.example/h#x', 'must not have a fragment'],
    ['partner.example/h', 'must be an absolute URL'],
  ])('%s → %s', (url, problem) => expect(webhookUrlProblem(url)).toBe(problem));
});
