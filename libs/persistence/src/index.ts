export {
  DEFAULT_DATABASE_URL,
  assertDatabaseName,
  databaseNameOf,
  databaseUrlFor,
  defaultDatabaseName,
  dropDatabase,
  ensureDatabase,
} from './database/database-url';
export { createDataSource, runMigrations, type CreateDataSourceOptions } from './database/data-source.factory';
export { KeyRingConfigError, PhiCryptoError, type PhiCryptoErrorCode } from './crypto/phi-crypto.errors';
export { KeyRing, KEY_ID_PATTERN, parsePhiKeys } from './crypto/key-ring';
export { SecretBytes } from './crypto/secret-bytes';
export { FieldCipher, PHI_TOKEN_PREFIX } from './crypto/field-cipher';
export { encryptedTransformer, type EncryptedTransformerOptions } from './crypto/encrypted.transformer';
export { rewrapColumn, type RewrapColumnOptions, type RewrapColumnResult } from './crypto/rewrap-column';
export { BlindIndex, PERSON_MATCH_DOMAIN, parseBlindIndexKey } from './crypto/blind-index';
export { normalizeDateOfBirth, normalizeName, normalizePhone, personMatchKey } from './crypto/normalizers';
export { generateDevKeyMaterial, type DevKeyMaterial } from './crypto/dev-key-material';
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './testing/test-database';
export {
  TENANT_SETTING,
  TenantError,
  assertDepartmentId,
  setTenant,
  tenantTransaction,
} from './tenancy/tenant-transaction';
export { TENANT_POLICY, disableTenantIsolation, enableTenantIsolation } from './tenancy/tenant-isolation.migration';
