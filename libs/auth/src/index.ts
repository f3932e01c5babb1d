export {
  ROLES,
  roleSchema,
  principalSchema,
  tokenClaimsSchema,
  principalFromClaims,
  isAllowed,
  InvalidClaimsError,
  type Role,
  type Principal,
  type AccessRequirement,
} from './principal';
export {
  JwtVerifier,
  AuthenticationError,
  extractBearerToken,
  DEFAULT_AUDIENCE,
  DEFAULT_MAX_TOKEN_AGE_SECONDS,
  DEFAULT_TOKEN_TYPE,
  JWKS_CACHE_MAX_AGE_MS,
  ALLOWED_ALGORITHMS,
  type AuthOptions,
  type AuthFailureReason,
} from './jwt-verifier';
export {
  Public,
  Roles,
  PartnerOnly,
  CurrentPrincipal,
  principalOf,
  IS_PUBLIC_KEY,
  ROLES_KEY,
  PARTNER_ONLY_KEY,
  PRINCIPAL_PROPERTY,
} from './auth.decorators';
export { AuthGuard } from './auth.guard';
export { AuthModule, AUTH_OPTIONS, type AuthModuleAsyncOptions } from './auth.module';
export {
  TenantScope,
  departmentScope,
  scopeWhere,
  findOneInDepartment,
  assertInDepartment,
  type FindOneRepository,
} from './tenant-scope';
export type { DevIssuer, DevIssuerOptions } from './dev-issuer/dev-issuer.server';
export type { DevTokenOptions } from './dev-issuer/dev-token';
export type { DevSigningKey } from './dev-issuer/dev-signing-key';
export {
  startDevIssuer,
  issueDevToken,
  signDevToken,
  defaultDevIssuerUrl,
  loadOrCreateDevSigningKey,
  defaultDevIssuerDir,
  findRepoRoot,
  DEFAULT_DEV_ISSUER_PORT,
  DEV_ISSUER_ALG,
} from './dev-tools';
export {
  TokenRevocationList,
  revocationTtlSeconds,
  REVOKED_JTI_PREFIX,
  type RevocationCheck,
  type RevocationStore,
} from './revocation/token-revocation-list';
