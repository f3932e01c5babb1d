import { decodeIncidentCursor, encodeIncidentCursor } from './incident-cursor';

describe('incident cursor', () => {
  it('round-trips PostgreSQL timestamp text with microseconds', () => {
    const c = { occurredAt: '2024-03-01 10:15:30.123456+00', id: 'inc_abc' };
    expect(decodeIncidentCursor(encodeIncidentCursor(c))).toEqual(c);
  });

  it.each(['', 'not-base64!!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["yesterday","inc_1"]').toString('base64url')])(
    'rejects %p',
    (value) => expect(decodeIncidentCursor(value)).toBeUndefined(),
  );
});
