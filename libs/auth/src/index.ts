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
export { startDevIssuer, type DevIssuer, type DevIssuerOptions } from './dev-issuer/dev-issuer.server';
export {
  issueDevToken,
  signDevToken,
  defaultDevIssuerUrl,
  DEFAULT_DEV_ISSUER_PORT,
  type DevTokenOptions,
} from './dev-issuer/dev-token';
export {
  loadOrCreateDevSigningKey,
  defaultDevIssuerDir,
  findRepoRoot,
  DEV_ISSUER_ALG,
  type DevSigningKey,
} from './dev-issuer/dev-signing-key';
