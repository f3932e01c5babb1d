import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { InvalidClaimsError, principalFromClaims, type Principal } from './principal';

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
}

/** Default audience of platform tokens. */
export const DEFAULT_AUDIENCE = 'cit-platform';
/** Signature algorithms accepted (asymmetric only, so services never hold signing secrets). */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256'];

/** Why a token was refused; maps to 401, except issuer_unavailable (503). */
export type AuthFailureReason =
  | 'missing_token'
  | 'invalid_token'
  | 'expired_token'
  | 'invalid_claims'
  | 'issuer_unavailable';

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
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  /** keys overrides the remote JWKS (tests, or a local JWKS). */
  constructor(
    readonly options: AuthOptions,
    keys?: JWTVerifyGetKey,
  ) {
    // jose caches the JWKS and refetches on an unknown kid (rate-limited by cooldown), which
    // is what makes issuer key rotation work without restarting services.
    this.keys =
      keys ?? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  /** Verifies signature, iss, aud, exp/nbf and claims; throws AuthenticationError. */
  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit && hit.until > now) return hit.principal;
    if (hit) this.verified.delete(token);
    const { principal, expiresAtMs } = await this.verifyUncached(token);
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, until: Math.min(now + VERIFIED_TTL_MS, expiresAtMs) });
    return principal;
  }

  private async verifyUncached(token: string): Promise<{ principal: Principal; expiresAtMs: number }> {
    let payload: { exp?: number };
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience ?? DEFAULT_AUDIENCE,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      throw toAuthenticationError(err);
    }
    try {
      return { principal: principalFromClaims(payload), expiresAtMs: (payload.exp ?? 0) * 1000 };
    } catch (err) {
      if (err instanceof InvalidClaimsError) throw new AuthenticationError('invalid_claims', err.message);
      throw err;
    }
  }
}

function toAuthenticationError(err: unknown): AuthenticationError {
  if (err instanceof errors.JWTExpired) return new AuthenticationError('expired_token', 'token expired');
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
