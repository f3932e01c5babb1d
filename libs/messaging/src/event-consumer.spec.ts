import { decodeMessage } from './event-consumer';

const accept = (raw: unknown) => ({ ok: true as const, event: raw as never });

describe('decodeMessage', () => {
  it('rejects empty values', () => {
    expect(decodeMessage(null, accept)).toEqual({ ok: false, error: 'invalid: empty message value' });
  });

  it('rejects non-JSON without quoting the value (V8 parse errors include a snippet)', () => {
    const result = decodeMessage(Buffer.from('patient John Doe said {'), accept);
    expect(result).toEqual({ ok: false, error: 'invalid: value is not valid JSON' });
  });

  it('passes the validator reason through', () => {
    const result = decodeMessage(Buffer.from('{"a":1}'), () => ({ ok: false, error: 'data.a: expected string' }));
    expect(result).toEqual({ ok: false, error: 'invalid: data.a: expected string' });
  });

  it('returns the validated event', () => {
    expect(decodeMessage(Buffer.from('{"id":"x"}'), accept)).toEqual({ ok: true, event: { id: 'x' } });
  });
});
