export {
  buildSeed,
  formatReport,
  fuzzApi,
  unexplainedFailuresToSucceed,
  type FuzzFailure,
  type FuzzOptions,
  type FuzzReport,
  type FuzzTarget,
  type FuzzTokenClaims,
  type OperationReport,
} from './api-fuzz';
export {
  DEFAULT_VOLATILE_COLUMNS,
  snapshotDiff,
  snapshotQuery,
  takeSnapshot,
  type DbSnapshot,
  type SqlRunner,
} from './db-snapshot';
export { fuzzOptionsFromEnv } from './fuzz-options';
export {
  operationsOf,
  refResolver,
  type ApiOperation,
  type OpenApiDocument,
  type OperationParameter,
} from './openapi-operations';
export { arbitraryOf, type JsonSchema, type RefResolver } from './schema-arbitrary';
