import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs pipeLines (an ES module) in a Node process of its own: feeds `chunks` through it with
 * a budget of `perSecond` printed lines and returns what reached the terminal and the log file.
 */
function pipe(chunks: string[], perSecond: number): { printed: string[]; logged: string } {
  const script = `
    import { PassThrough, Writable } from 'node:stream';
    import { pipeLines } from ${JSON.stringify(join(__dirname, 'pretty-log.mjs'))};
    const printed = []; let logged = '';
    const out = new Writable({ write(c, _e, cb) { printed.push(...c.toString().split('\\n').filter(Boolean)); cb(); } });
    const log = new Writable({ write(c, _e, cb) { logged += c.toString(); cb(); } });
    const src = new PassThrough();
    pipeLines(src, 'svc', log, { linesPerSecond: ${perSecond}, out });
    for (const c of ${JSON.stringify(chunks)}) src.write(c);
    src.end();
    src.on('end', () => setImmediate(() => process.stdout.write(JSON.stringify({ printed, logged }))));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return JSON.parse(stdout) as { printed: string[]; logged: string };
}

const line = (level: string | number, msg: string) =>
  JSON.stringify({ level, time: '2026-12-02T02:00:00.000Z', msg, incidentId: 'inc-1' }) + '\n';

describe('pipeLines (npm start output)', () => {
  it('prints a budget of lines a second, always warnings, errors and non-JSON lines, and counts the rest', () => {
    const infos = Array.from({ length: 50 }, (_, i) => line('info', `event ${i}`)).join('');
    const chunks = [
      infos.slice(0, 1234), // a chunk boundary inside a line
      infos.slice(1234),
      line('warn', 'slow consumer') +
        line('error', 'label error') +
        line(50, 'numeric error') +
        'TypeError: not JSON\n',
      line('debug', 'more'),
    ];
    const { printed, logged } = pipe(chunks, 5);
    expect(logged).toBe(chunks.join(''));
    const shown = printed.filter((l) => !l.includes('not shown'));
    expect(shown.filter((l) => l.includes('INFO'))).toHaveLength(5);
    expect(shown.map((l) => l.slice(0, 40)).join('\n')).toContain('event 4');
    expect(printed.some((l) => l.includes('WARN') && l.includes('slow consumer'))).toBe(true);
    expect(printed.some((l) => l.includes('ERROR') && l.includes('label error'))).toBe(true);
    expect(printed.some((l) => l.includes('ERROR') && l.includes('numeric error'))).toBe(true);
    expect(printed).toContain('svc TypeError: not JSON');
    expect(printed.some((l) => l.includes('event 5'))).toBe(false);
    expect(printed.find((l) => l.includes('not shown'))).toMatch(/… 46 more lines in [\d.]+ s not shown/);
  });

  it('prints every line while under the budget', () => {
    const { printed } = pipe([line('info', 'a'), line('info', 'b') + line('info', 'c')], 20);
    expect(printed.map((l) => l.replace(/^svc \S+ /, ''))).toEqual([
      'INFO  a {"incidentId":"inc-1"}',
      'INFO  b {"incidentId":"inc-1"}',
      'INFO  c {"incidentId":"inc-1"}',
    ]);
  });
});
