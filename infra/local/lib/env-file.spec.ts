import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { formatEnvFile, readEnvFile } from './env-file.cjs';

describe('env files', () => {
  it('writes values that Node reads back unchanged, quoting where needed and skipping undefined', () => {
    const vars = {
      A: 'x=y/+',
      B: 'has space',
      D: 'q"uote',
      E: "it's",
      F: 'both \' and "',
      G: 'a\\nb', // a backslash and an n: Node would turn \n inside double quotes into a newline
      H: 'a#b',
      I: 'dev-1:0tnyRow+b/kNI1iEg=',
    };
    const text = formatEnvFile({ ...vars, C: undefined }, 'header line\nsecond');
    expect(text.startsWith('# header line\n# second\n')).toBe(true);
    expect(text).not.toContain('C=');
    expect(parseEnv(text)).toEqual(vars);
  });

  it('refuses newlines and invalid keys', () => {
    expect(() => formatEnvFile({ A: 'a\nb' })).toThrow(/newline/);
    expect(() => formatEnvFile({ 'not-a-key': 'x' })).toThrow(/invalid env key/);
  });

  it('reads a file with util.parseEnv, and a missing file as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cit-env-'));
    try {
      writeFileSync(join(dir, 'env'), formatEnvFile({ KAFKA_BROKERS: 'a:1,b:2', B: 'has space' }, 'x'));
      expect(readEnvFile(join(dir, 'env'))).toEqual({ KAFKA_BROKERS: 'a:1,b:2', B: 'has space' });
      expect(readEnvFile(join(dir, 'missing'))).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
