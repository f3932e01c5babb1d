export { createKafka, createProducer, type KafkaClient, type KafkaClientOptions } from './kafka-client';
export { OutboxWriter, type OutboxWriterOptions, type AppendOptions } from './outbox-writer';
export { OutboxRelay, OUTBOX_RELAY_LOCK_KEY, type OutboxRelayOptions, type OutboxRelayStatus } from './outbox-relay';
export {
  EventConsumer,
  decodeMessage,
  type EventConsumerOptions,
  type EventHandler,
  type EventHandlers,
  type HandlerRetryOptions,
  type InboxContext,
  type DecodeResult,
} from './event-consumer';
export { topicsForHandlers } from './handler-topics';
export {
  departmentRegistry,
  departmentRegistryFromEnv,
  anyDepartment,
  DepartmentRegistryConfigError,
  DEPARTMENTS_VARIABLE,
  type DepartmentRegistry,
} from './department-registry';
export {
  admitEvent,
  ADMISSION_REJECTIONS,
  type AdmissionRejection,
  type EventAdmissionResult,
  type EventOriginPolicy,
} from './event-admission';
export { CitKafkaTransport, type CitKafkaTransportOptions } from './cit-kafka.transport';
export { MessagingTables1732700000000, OUTBOX_NOTIFY_CHANNEL } from './messaging-tables.migration';
export { MessagingOutboxStatus1764633600000 } from './outbox-status.migration';
export {
  MessagingTenancy1764806400000,
  OUTBOX_SYSTEM_SCOPES,
  INBOX_SYSTEM_SCOPES,
} from './messaging-tenancy.migration';
export {
  listFailedOutboxRows,
  retryFailedOutboxRows,
  type FailedOutboxRow,
  type RetryFailedSelection,
} from './outbox-admin';
export {
  purgeMessagingTables,
  MESSAGING_RETENTION_DEFAULTS,
  type MessagingRetentionOptions,
  type RetentionResult,
} from './messaging-retention';
export {
  OutboxEntity,
  InboxEntity,
  messagingEntities,
  type OutboxRecord,
  type OutboxStatus,
  type InboxRecord,
} from './messaging.entities';
export {
  messagingMetrics,
  registerBacklogAgeSource,
  registerBacklogSource,
  registerSetAsideSource,
  type MessagingMetrics,
} from './messaging.metrics';
export { assessConsumerHealth, partitionLag, type ConsumerStatus } from './consumer-health';
export { deadLetterHeaders, eventHeaders, headerString, DLQ_ERROR_MAX, type DeadLetterOrigin } from './kafka-message';
export { backoffDelay, sleep, type BackoffOptions } from './backoff';
export type { EventValidator, EventValidation } from './event-validator';
export type { MessagingLogger } from './logger';
export {
  readDeadLetters,
  redactDeadLetter,
  replayDeadLetter,
  isDeadLetterTopic,
  deadLetterTopicOf,
  type DeadLetter,
  type RedactedDeadLetter,
  type ReadDeadLettersOptions,
} from './dead-letters/dead-letters';
