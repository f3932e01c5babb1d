import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, setRootLogger } from './logger';
import { redactPhi, REDACTED } from './phi-guard';
import { runWithContext } from './request-context';

describe('PHI guard', () => {
  it('redacts PHI-named fields at any depth and keeps ids and codes', () => {
    const out = redactPhi({
      incidentId: 'inc-1',
      subjects: [{ subjectId: 's-1', name: 'Jordan Example', dateOfBirth: '1991-04-12', flags: { veteran: true } }],
      narrative: 'said he would hurt himself',
      nested: { deeper: { Phone: '617-555-0142' } },
    });
    expect(out).toEqual({
      incidentId: 'inc-1',
      subjects: [{ subjectId: 's-1', name: REDACTED, dateOfBirth: REDACTED, flags: { veteran: true } }],
      narrative: REDACTED,
      nested: { deeper: { Phone: REDACTED } },
    });
  });

  it('keeps PHI out of real log lines and adds the correlation id', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    setRootLogger(
      pino(
        {
          messageKey: 'msg',
          formatters: { log: (o) => redactPhi(o) },
          mixin: () => ({}),
        },
        sink,
      ),
    );
    runWithContext({ correlationId: 'corr-9' }, () => {
      createLogger('test').info({ incidentId: 'inc-7', address: '12 Harbor Street' }, 'stored');
    });
    const text = lines.join('');
    expect(text).toContain('inc-7');
    expect(text).not.toContain('Harbor');
  });
});
