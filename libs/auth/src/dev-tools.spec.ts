import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The service image deletes libs/auth/dist/dev-issuer (Dockerfile, runtime target): the library
// must load without it, and the development helpers must fail where they are called.
const root = join(__dirname, '..', '..', '..');
const dist = join(__dirname, '..', 'dist');

describe('@cit/auth without its dev-issuer folder (the service image)', () => {
  it('loads, verifies configuration and refuses only the development helpers', () => {
    // npm test builds before the unit run; a checkout that never built has nothing to check yet.
    if (!existsSync(join(dist, 'index.js')))
      throw new Error('libs/auth/dist is missing: build first (npx tsc -b libs/auth/tsconfig.lib.json)');
    const copy = join(mkdtempSync(join(tmpdir(), 'cit-auth-image-')), 'dist');
    cpSync(dist, copy, { recursive: true, filter: (src) => !src.includes(`${join(dist, 'dev-issuer')}`) });
    expect(existsSync(join(copy, 'dev-issuer'))).toBe(false);
    const script = `
      const auth = require(${JSON.stringify(join(copy, 'index.js'))});
      const out = { verifier: typeof auth.JwtVerifier, revocations: typeof auth.TokenRevocationList, port: auth.DEFAULT_DEV_ISSUER_PORT };
      try { auth.startDevIssuer({ port: 0 }); out.issuer = 'started'; } catch (err) { out.issuer = err.code; }
      process.stdout.write(JSON.stringify(out));
    `;
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_PATH: join(root, 'node_modules') },
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      verifier: 'function',
      revocations: 'function',
      port: 3999,
      issuer: 'MODULE_NOT_FOUND',
    });
  });
});
