import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEFAULT_AUDIENCE, DEFAULT_TOKEN_TYPE } from '../jwt-verifier';
import { principalFromClaims, type Role } from '../principal';
import { loadOrCreateDevSigningKey, type DevSigningKey } from './dev-signing-key';
import { DEFAULT_DEV_ISSUER_PORT } from '../dev-tools';

export { DEFAULT_DEV_ISSUER_PORT };

/** What a development token says about its holder. */
export interface DevTokenOptions {
  role?: Role;
  roles?: Role[];
  /** Department (tenant) id. */
  department: string;
  /** Makes a partner token bound to this agency (role partner). */
  agency?: string;
  /** Assigned districts (the `districts` claim); absent = the whole department. */
  districts?: string[];
  subject?: string;
  /** Lifetime in seconds (negative gives an already expired token, for tests); default 3600. */
  ttl?: number;
  /** iss; default AUTH_ISSUER, then http://127.0.0.1:<DEV_ISSUER_PORT or 3999>. */
  issuer?: string;
  /** aud; default AUTH_AUDIENCE, then 'cit-platform'. */
  audience?: string;
  /** iat in Unix seconds (tests of the maximum token age); default now. */
  issuedAt?: number;
  /** jti; default a random UUID (tests that revoke a token pick their own). */
  jti?: string;
}

/** The issuer URL services expect for development tokens. */
export function defaultDevIssuerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUTH_ISSUER || `http://127.0.0.1:${env.DEV_ISSUER_PORT || DEFAULT_DEV_ISSUER_PORT}`;
}

/** Signs a development token with the given key; claims are validated as services will. */
export async function signDevToken(key: DevSigningKey, options: DevTokenOptions): Promise<string> {
  const roles: Role[] =
    options.agency !== undefined ? ['partner'] : (options.roles ?? (options.role ? [options.role] : []));
  const requested = options.roles ?? (options.role ? [options.role] : []);
  if (options.agency !== undefined && requested.some((r) => r !== 'partner')) {
    throw new Error('a partner token (agency given) can only have the partner role');
  }
  const subject =
    options.subject ?? (options.agency !== undefined ? `partner-${options.agency}` : `dev-${roles[0] ?? 'user'}`);
  const claims = {
    sub: subject,
    roles,
    department_id: options.department,
    ...(options.agency !== undefined ? { agency_id: options.agency } : {}),
    ...(options.districts !== undefined ? { districts: options.districts } : {}),
  };
  // Fail here, with the reason, rather than hand out a token every service rejects.
  principalFromClaims(claims);
  const now = Math.floor(Date.now() / 1000);
  const ttl = options.ttl ?? 3600;
  const issuedAt = options.issuedAt ?? (ttl < 0 ? now + ttl - 60 : now);
  // The typ services require (AUTH_TOKEN_TYPE, default at+jwt): the profile a production IdP must follow too.
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: process.env.AUTH_TOKEN_TYPE || DEFAULT_TOKEN_TYPE })
    .setIssuer(options.issuer ?? defaultDevIssuerUrl())
    .setAudience(options.audience ?? (process.env.AUTH_AUDIENCE || DEFAULT_AUDIENCE))
    .setIssuedAt(issuedAt)
    .setExpirationTime(options.issuedAt !== undefined ? issuedAt + ttl : now + ttl)
    .setJti(options.jti ?? randomUUID())
    .sign(key.privateKey);
}

/** Issues a development token with the key under .local/dev-issuer (or keyDir). */
export async function issueDevToken(options: DevTokenOptions & { keyDir?: string }): Promise<string> {
  const { keyDir, ...rest } = options;
  return signDevToken(await loadOrCreateDevSigningKey(keyDir), rest);
}
