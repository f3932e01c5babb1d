import { buildEvent, referralRequested } from '@cit/contracts';
import { isDeadLetterTopic, redactDeadLetter, type DeadLetter } from './dead-letters';

const letter = (value: string | null, key: string | null = 'ref_1'): DeadLetter => ({
  dlqTopic: 'cit.referral.v1.dlq',
  partition: 0,
  offset: '7',
  key,
  timestamp: '2026-12-02T00:00:00.000Z',
  headers: { 'dlq-error': 'invalid: x', 'dlq-original-topic': 'cit.referral.v1', 'dlq-original-offset': '3' },
  value: value === null ? null : Buffer.from(value),
  originalTopic: 'cit.referral.v1',
  error: 'invalid: x',
});

describe('redactDeadLetter', () => {
  it('a valid event shows its data with the PHI fields and ciphertexts replaced', () => {
    const event = buildEvent('cit.referral.requested.v1', 'ref_1', referralRequested.example, {
      departmentId: 'dept-a',
      correlationId: 'cor-1',
    });
    const r = redactDeadLetter(letter(JSON.stringify(event)));
    expect(r).toMatchObject({ valid: true, eventType: 'cit.referral.requested.v1', departmentId: 'dept-a' });
    const text = JSON.stringify(r);
    expect(text).not.toContain('enc:v1');
    expect((r.data as { disclosure: { values: unknown } }).disclosure.values).toBe('[redacted]');
  });

  it.each([
    ['invalid JSON', '{"name": "Jane Doe"', undefined],
    [
      'an unknown version',
      JSON.stringify({ type: 'cit.case.opened.v2', id: 'e1', data: { name: 'Jane Doe', dob: '1990-01-01' } }),
      ['name', 'dob'],
    ],
    [
      'a schema failure',
      JSON.stringify({ specversion: '1.0', type: 'cit.case.opened.v1', data: { narrative: 'Jane Doe said…' } }),
      ['narrative'],
    ],
  ])('%s shows no value, only ids and field names', (_name, value, keys) => {
    const r = redactDeadLetter(letter(value));
    expect(r.valid).toBe(false);
    expect(JSON.stringify(r)).not.toContain('Jane');
    expect(r.dataKeys).toEqual(keys);
  });

  it('keeps the reason code of the dead letter', () => {
    const refused = { ...letter(null), reason: 'unknown-department' };
    expect(redactDeadLetter(refused).reason).toBe('unknown-department');
  });

  it('a key that is not a plain id is redacted', () => {
    expect(redactDeadLetter(letter(null, 'Jane Doe 1990')).key).toBe('[redacted]');
  });

  it('knows dead-letter topics', () => {
    expect(isDeadLetterTopic('cit.case.v1.dlq')).toBe(true);
    expect(isDeadLetterTopic('cit.case.v1')).toBe(false);
    expect(isDeadLetterTopic('.dlq')).toBe(false);
  });
});
