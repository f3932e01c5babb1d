export {
  DEFAULT_DATABASE_URL,
  assertDatabaseName,
  databaseNameOf,
  databaseUrlAs,
  databaseUrlFor,
  databaseUserOf,
  defaultDatabaseName,
  dropDatabase,
  ensureDatabase,
} from './database/database-url';
export {
  createDataSource,
  runMigrations,
  type CreateDataSourceOptions,
  type RunMigrationsOptions,
} from './database/data-source.factory';
export { KeyRingConfigError, PhiCryptoError, type PhiCryptoErrorCode } from './crypto/phi-crypto.errors';
export { KeyRing, KEY_ID_PATTERN, parsePhiKeys } from './crypto/key-ring';
export { SecretBytes } from './crypto/secret-bytes';
export {
  FieldCipher,
  PHI_TOKEN_PREFIX,
  PHI_TOKEN_V1,
  PHI_TOKEN_V2,
  describeBinding,
  type FieldCipherSession,
  type PhiBinding,
} from './crypto/field-cipher';
export { encryptedTransformer, type EncryptedTransformerOptions } from './crypto/encrypted.transformer';
export { rewrapColumn, type RewrapColumnOptions, type RewrapColumnResult } from './crypto/rewrap-column';
export {
  BlindIndex,
  DepartmentBlindIndex,
  LEGACY_VERSION,
  PERSON_MATCH_DOMAIN,
  PERSON_PHONE_MATCH_DOMAIN,
  blindIndexVersionOf,
  parseActiveBlindIndexVersion,
  parseBlindIndexKey,
  parseBlindIndexVersionKeys,
  parsePreviousBlindIndexVersion,
  type BlindIndexOptions,
  type BlindIndexSettings,
  type BlindIndexVersion,
} from './crypto/blind-index';
export {
  normalizeDateOfBirth,
  normalizeName,
  normalizePhone,
  personIdentityInputs,
  personMatchKey,
  personPhoneKey,
} from './crypto/normalizers';
export { generateDevKeyMaterial, type DevKeyMaterial } from './crypto/dev-key-material';
export {
  createTestDatabase,
  TEST_RUNTIME_ROLE,
  type TestDatabase,
  type TestDatabaseOptions,
} from './testing/test-database';
export {
  TENANT_SETTING,
  TenantError,
  assertDepartmentId,
  SYSTEM_SCOPE_SETTING,
  setTenant,
  systemScopeTransaction,
  tenantTransaction,
} from './tenancy/tenant-transaction';
export {
  SYSTEM_SCOPE_POLICY,
  TENANT_POLICY,
  disableTenantIsolation,
  enableSystemScope,
  enableTenantIsolation,
} from './tenancy/tenant-isolation.migration';
export {
  assertRoleName,
  assertRuntimeRole,
  currentRoleFacts,
  ensureRuntimeRole,
  grantRuntimeAccess,
  runtimeRoleName,
  type RoleFacts,
  type RuntimeGrants,
} from './tenancy/database-roles';
export {
  blindIndexStatus,
  describeVersions,
  recomputeBlindIndexes,
  type BlindIndexColumnStatus,
  type BlindIndexStatus,
  type RecomputeBlindIndexesOptions,
  type RecomputeBlindIndexesResult,
  type SubjectDecrypt,
  type SubjectPlace,
} from './keys/blind-index-recompute';
export { formatBlindIndexStatus, runBlindIndexCli } from './keys/blind-index.cli';
