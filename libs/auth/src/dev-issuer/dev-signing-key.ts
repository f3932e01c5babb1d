import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import { DEV_ISSUER_ALG } from '../dev-tools';

export { DEV_ISSUER_ALG };

/** The development issuer's key pair. */
export interface DevSigningKey {
  kid: string;
  alg: typeof DEV_ISSUER_ALG;
  privateKey: KeyLike | Uint8Array;
  /** Public JWK only: what the JWKS publishes. */
  publicJwk: JWK;
}

/** Finds the repository root (the folder holding nx.json) walking up from a folder. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`nx.json not found above ${from}`);
    dir = parent;
  }
}

/** <repo>/.local/dev-issuer, where the development key lives. */
export function defaultDevIssuerDir(): string {
  return join(findRepoRoot(), '.local', 'dev-issuer');
}

const KEY_FILE = 'private-key.jwk.json';

/**
 * Loads the development signing key, creating it on first use. The issuer server and the
 * token CLI run as separate processes and may both create it at once: the key is written to
 * a temporary file and hard-linked into place, so exactly one wins and the other reads it.
 */
export async function loadOrCreateDevSigningKey(dir: string = defaultDevIssuerDir()): Promise<DevSigningKey> {
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = await generateKeyPair(DEV_ISSUER_ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    const tmp = join(dir, `.${KEY_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
    writeFileSync(tmp, JSON.stringify({ ...jwk, kid, alg: DEV_ISSUER_ALG, use: 'sig' }), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
  const { d: _d, ...publicJwk } = jwk;
  return {
    kid: jwk.kid,
    alg: DEV_ISSUER_ALG,
    privateKey: await importJWK(jwk, DEV_ISSUER_ALG),
    publicJwk: {
      kty: publicJwk.kty,
      crv: publicJwk.crv,
      x: publicJwk.x,
      y: publicJwk.y,
      kid: jwk.kid,
      alg: DEV_ISSUER_ALG,
      use: 'sig',
    },
  };
}
