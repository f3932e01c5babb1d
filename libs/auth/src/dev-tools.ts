// The development issuer and its token helpers, loaded on first use. The service image leaves
// libs/auth/dist/dev-issuer out (Dockerfile, runtime target), so a service never loads them
// and a deployment cannot start the development issuer: calling one of these there fails with
// "Cannot find module", the same in every service.
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point of this file */
import type * as DevIssuerServer from './dev-issuer/dev-issuer.server';
import type * as DevSigningKeyModule from './dev-issuer/dev-signing-key';
import type * as DevTokenModule from './dev-issuer/dev-token';

/** Default port of the development issuer. */
export const DEFAULT_DEV_ISSUER_PORT = 3999;
/** Signing algorithm of the development issuer. */
export const DEV_ISSUER_ALG = 'ES256';

const server = (): typeof DevIssuerServer => require('./dev-issuer/dev-issuer.server') as typeof DevIssuerServer;
const signingKey = (): typeof DevSigningKeyModule =>
  require('./dev-issuer/dev-signing-key') as typeof DevSigningKeyModule;
const devToken = (): typeof DevTokenModule => require('./dev-issuer/dev-token') as typeof DevTokenModule;

/** Serves OIDC discovery and the JWKS of the development key (local runs and tests only). */
export const startDevIssuer: typeof DevIssuerServer.startDevIssuer = (options) => server().startDevIssuer(options);
/** Issues a development token with the key under .local/dev-issuer (or keyDir). */
export const issueDevToken: typeof DevTokenModule.issueDevToken = (options) => devToken().issueDevToken(options);
/** Signs a development token with the given key. */
export const signDevToken: typeof DevTokenModule.signDevToken = (key, options) => devToken().signDevToken(key, options);
/** The issuer URL services expect for development tokens. */
export const defaultDevIssuerUrl: typeof DevTokenModule.defaultDevIssuerUrl = (env) =>
  devToken().defaultDevIssuerUrl(env);
/** Loads the development signing key, creating it on first use. */
export const loadOrCreateDevSigningKey: typeof DevSigningKeyModule.loadOrCreateDevSigningKey = (dir) =>
  signingKey().loadOrCreateDevSigningKey(dir);
/** <repo>/.local/dev-issuer, where the development key lives. */
export const defaultDevIssuerDir: typeof DevSigningKeyModule.defaultDevIssuerDir = () =>
  signingKey().defaultDevIssuerDir();
/** Finds the repository root (the folder holding nx.json) walking up from a folder. */
export const findRepoRoot: typeof DevSigningKeyModule.findRepoRoot = (from) => signingKey().findRepoRoot(from);
