import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DEV_ISSUER_PORT, signDevToken, type DevTokenOptions } from './dev-token';
import { loadOrCreateDevSigningKey } from './dev-signing-key';

/** Options of startDevIssuer. */
export interface DevIssuerOptions {
  /** Default DEV_ISSUER_PORT, then 3999; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where the key lives; default <repo>/.local/dev-issuer. */
  keyDir?: string;
  audience?: string;
}

/** A running development issuer. */
export interface DevIssuer {
  /** Issuer URL (the "iss" of its tokens), http://127.0.0.1:<port>. */
  issuer: string;
  jwksUrl: string;
  port: number;
  /** Signs a token from this issuer (issuer fixed to this one). */
  issueToken(options: Omit<DevTokenOptions, 'issuer'>): Promise<string>;
  close(): Promise<void>;
}

/** Serves OIDC discovery and the public JWKS of the development key, for local runs and tests. */
export async function startDevIssuer(options: DevIssuerOptions = {}): Promise<DevIssuer> {
  const key = await loadOrCreateDevSigningKey(options.keyDir);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? Number(process.env.DEV_ISSUER_PORT || DEFAULT_DEV_ISSUER_PORT);
  let issuer = '';

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown, cache = 'no-store'): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': cache });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method_not_allowed' });
    switch (path) {
      case '/.well-known/openid-configuration':
        return send(200, {
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: [key.alg],
          response_types_supported: ['token'],
          subject_types_supported: ['public'],
        });
      case '/.well-known/jwks.json':
        return send(200, { keys: [key.publicJwk] }, 'public, max-age=60');
      case '/healthz':
        return send(200, { status: 'ok' });
      default:
        return send(404, { error: 'not_found' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  issuer = `http://${host}:${actualPort}`;

  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    port: actualPort,
    issueToken: (opts) => signDevToken(key, { audience: options.audience, ...opts, issuer }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
