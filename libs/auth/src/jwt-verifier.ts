import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { InvalidClaimsError, principalFromClaims, type Principal } from './principal';
import type { RevocationCheck } from './revocation/token-revocation-list';

/** Settings of token verification. */
export interface AuthOptions {
  /** JWKS of the OIDC issuer (AUTH_JWKS_URL). */
  jwksUrl: string;
  /** Expected iss (AUTH_ISSUER). */
  issuer: string;
  /** Expected aud (AUTH_AUDIENCE); default 'cit-platform'. */
  audience?: string;
  /** Allowed clock skew in seconds; default 30. */
  clockToleranceSeconds?: number;
  /** Oldest token accepted, counted from iat (AUTH_MAX_TOKEN_AGE_SECONDS); default 3600. */
  maxTokenAgeSeconds?: number;
  /** Required JWT "typ" header (AUTH_TOKEN_TYPE); default 'at+jwt' (RFC 9068 access tokens). */
  tokenType?: string;
  /** The jti deny-list; without it no token is ever treated as revoked (unit tests only). */
  revocations?: RevocationCheck;
}

/** Default maximum token age in seconds, counted from iat. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 3600;
/** Default required "typ" header: OAuth 2.0 JWT access tokens (RFC 9068). */
export const DEFAULT_TOKEN_TYPE = 'at+jwt';
/**
 * Longest the issuer's keys are cached: a key the identity provider withdraws stops being
 * accepted within a minute, not after jose's default ten.
 */
export const JWKS_CACHE_MAX_AGE_MS = 60_000;

/** Default audience of platform tokens. */
export const DEFAULT_AUDIENCE = 'cit-platform';
/** Signature algorithms accepted (asymmetric only, so services never hold signing secrets). */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256'];

/** Why a token was refused; maps to 401, except issuer_unavailable and revocation_unavailable (503). */
export type AuthFailureReason =
  | 'missing_token'
  | 'invalid_token'
  | 'expired_token'
  | 'invalid_claims'
  | 'revoked_token'
  | 'issuer_unavailable'
  | 'revocation_unavailable';

/** A token could not be verified. The message is safe to return: no token, no claims values. */
export class AuthenticationError extends Error {
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** Verified tokens are remembered this long at most, so a withdrawn issuer key stops working within a minute. */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** Verifies bearer JWTs against the issuer's JWKS and maps them to principals. */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;
  // A client sends the same token with every request; checking its signature once per
  // minute instead of per request takes signature math off the hot path.
  private readonly verified = new Map<string, VerifiedToken>();

  /** keys overrides the remote JWKS (tests, or a local JWKS). */
  constructor(
    readonly options: AuthOptions,
    keys?: JWTVerifyGetKey,
  ) {
    // jose caches the JWKS and refetches on an unknown kid (rate-limited by cooldown), which
    // is what makes issuer key rotation work without restarting services.
    this.keys =
      keys ??
      createRemoteJWKSet(new URL(options.jwksUrl), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
      });
  }

  /** Verifies signature, typ, iss, aud, exp/nbf, age, claims and the deny-list; throws AuthenticationError. */
  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const hit = this.verified.get(token);
    let entry: VerifiedToken;
    if (hit && hit.until > now) entry = hit;
    else {
      if (hit) this.verified.delete(token);
      entry = await this.verifyUncached(token, now);
      if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, entry);
    }
    // Never answered from memory: a revocation must hold from the next request on.
    await this.assertNotRevoked(entry.jti);
    return entry.principal;
  }

  private async assertNotRevoked(jti: string): Promise<void> {
    if (!this.options.revocations) return;
    let revoked: boolean;
    try {
      revoked = await this.options.revocations.isRevoked(jti);
    } catch {
      // Fail closed: an unreachable deny-list must not let a revoked token through.
      throw new AuthenticationError('revocation_unavailable', 'token revocation list unavailable');
    }
    if (revoked) throw new AuthenticationError('revoked_token', 'token revoked');
  }

  private async verifyUncached(token: string, now: number): Promise<VerifiedToken> {
    const maxAge = this.options.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
    let payload: { exp?: number; iat?: number; jti?: string };
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience ?? DEFAULT_AUDIENCE,
        algorithms: ALLOWED_ALGORITHMS,
        typ: this.options.tokenType ?? DEFAULT_TOKEN_TYPE,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        maxTokenAge: maxAge,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      }));
    } catch (err) {
      throw toAuthenticationError(err);
    }
    let principal: Principal;
    try {
      principal = principalFromClaims(payload);
    } catch (err) {
      if (err instanceof InvalidClaimsError) throw new AuthenticationError('invalid_claims', err.message);
      throw err;
    }
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 200)
      throw new AuthenticationError('invalid_claims', 'jti must be a non-empty string of at most 200 characters');
    const tolerance = this.options.clockToleranceSeconds ?? 30;
    const tooOldAtMs = ((payload.iat ?? 0) + maxAge + tolerance) * 1000;
    return {
      principal,
      jti: payload.jti,
      until: Math.min(now + VERIFIED_TTL_MS, (payload.exp ?? 0) * 1000, tooOldAtMs),
    };
  }
}

interface VerifiedToken {
  principal: Principal;
  jti: string;
  /** Served from memory until then: a minute at most, never past exp or the maximum age. */
  until: number;
}

function toAuthenticationError(err: unknown): AuthenticationError {
  // jose reports a token older than maxTokenAge as JWTExpired with claim "iat".
  if (err instanceof errors.JWTExpired)
    return new AuthenticationError('expired_token', err.claim === 'iat' ? 'token too old' : 'token expired');
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid)
    return new AuthenticationError('issuer_unavailable', 'identity provider keys unavailable');
  if (err instanceof errors.JOSEError) {
    // jose codes ("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "ERR_JWT_CLAIM_VALIDATION_FAILED") are safe to expose.
    const claim = err instanceof errors.JWTClaimValidationFailed ? ` (${err.claim})` : '';
    return new AuthenticationError('invalid_token', `invalid token: ${err.code}${claim}`);
  }
  // Anything else is the JWKS fetch failing (network, bad JSON): not the caller's fault.
  return new AuthenticationError('issuer_unavailable', 'identity provider keys unavailable');
}

/** The token of an "Authorization: Bearer <token>" header, or undefined. */
export function extractBearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(value) : null;
  return match?.[1];
}
