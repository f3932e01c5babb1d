import { DLQ_ERROR_MAX, deadLetterHeaders, eventHeaders, headerString } from './kafka-message';

describe('eventHeaders', () => {
  it('carries only the id fields of the event', () => {
    const headers = eventHeaders({
      id: 'e-1',
      type: 'cit.incident.reported.v1',
      departmentid: 'dept-1',
      correlationid: 'c-1',
      subject: 'inc-1',
      data: { narrative: 'PHI' },
    });
    expect(headers).toEqual({
      ce_id: 'e-1',
      ce_type: 'cit.incident.reported.v1',
      ce_departmentid: 'dept-1',
      ce_correlationid: 'c-1',
    });
  });
});

describe('deadLetterHeaders', () => {
  const origin = {
    topic: 'cit.incident.v1',
    partition: 2,
    offset: '41',
    groupId: 'triage',
    error: 'invalid: data.x: Required',
    failedAt: new Date('2025-01-02T03:04:05.000Z'),
  };

  it('keeps the original headers and adds the failure coordinates', () => {
    const headers = deadLetterHeaders({ ce_id: Buffer.from('e-1') }, origin);
    expect(headerString(headers, 'ce_id')).toBe('e-1');
    expect(headers).toMatchObject({
      'dlq-error': 'invalid: data.x: Required',
      'dlq-original-topic': 'cit.incident.v1',
      'dlq-original-partition': '2',
      'dlq-original-offset': '41',
      'dlq-consumer-group': 'triage',
      'dlq-failed-at': '2025-01-02T03:04:05.000Z',
    });
  });

  it('says why in a short code when the consumer gives one, e.g. an event refused on arrival', () => {
    expect(deadLetterHeaders(undefined, origin)['dlq-reason']).toBeUndefined();
    const headers = deadLetterHeaders(undefined, {
      ...origin,
      error: 'rejected: source is not the producer of cit.incident.reported.v1 (expected /cit/intake)',
      reason: 'source-not-producer',
    });
    expect(headers['dlq-reason']).toBe('source-not-producer');
  });

  it('replaces dlq headers of an earlier failure instead of keeping stale ones', () => {
    const headers = deadLetterHeaders({ 'dlq-original-offset': '7', 'dlq-stale': 'x' }, origin);
    expect(headers['dlq-original-offset']).toBe('41');
    expect(headers['dlq-stale']).toBeUndefined();
  });

  it('truncates long errors', () => {
    const headers = deadLetterHeaders(undefined, { ...origin, error: 'x'.repeat(5000) });
    expect(String(headers['dlq-error'])).toHaveLength(DLQ_ERROR_MAX);
  });
});
