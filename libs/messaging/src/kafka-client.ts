import {
  Kafka,
  logLevel,
  Partitioners,
  type ISocketFactory,
  type Producer,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';
import { patchKafkajsRequestQueue } from './kafkajs-request-queue.patch';
import { defaultLogger, type MessagingLogger } from './logger';

/** The broker client services hand to messaging classes (they never import kafkajs). */
export type KafkaClient = Kafka;

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  logger?: MessagingLogger;
  /** Per-request timeout; the default suits a broker on the same network. */
  requestTimeoutMs?: number;
  /** Replaces kafkajs' socket factory (tests use it to track and close sockets). */
  socketFactory?: ISocketFactory;
  /** Overrides KAFKA_RETRY (tools and tests that must fail fast rather than ride out an outage). */
  retry?: Partial<RetryOptions>;
  /** SASL/SCRAM credentials of the service's principal; only ever sent over TLS. */
  sasl?: KafkaSaslOptions;
  /** TLS to the brokers: PEM strings of the CA bundle (default: the system's) and an optional client certificate. */
  ssl?: KafkaTlsOptions;
}

/** SASL/SCRAM settings (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD). */
export interface KafkaSaslOptions {
  mechanism: 'scram-sha-512' | 'scram-sha-256';
  username: string;
  password: string;
}

/** TLS settings (KAFKA_SSL_CA, KAFKA_SSL_CERT, KAFKA_SSL_KEY as PEM contents). */
export interface KafkaTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * kafkajs' own retries cover blips; longer outages are handled by the relay and consumer
 * loops, which retry forever with their own backoff.
 */
export const KAFKA_RETRY = {
  initialRetryTime: 300,
  maxRetryTime: 5000,
  retries: 8,
  factor: 0.2,
  multiplier: 2,
} as const;

/** Creates the kafkajs client with retry settings that ride out short broker outages. */
export function createKafka(options: KafkaClientOptions): KafkaClient {
  if (options.brokers.length === 0) throw new Error('createKafka: brokers is empty');
  // A password on a plaintext connection is readable by anyone on the path.
  if (options.sasl && !options.ssl) throw new Error('createKafka: SASL needs TLS (ssl)');
  if ((options.ssl?.cert === undefined) !== (options.ssl?.key === undefined))
    throw new Error('createKafka: a client certificate needs its key and the other way round');
  patchKafkajsRequestQueue();
  const logger = options.logger ?? defaultLogger('kafkajs');
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    retry: { ...KAFKA_RETRY, ...options.retry },
    logLevel: logLevel.WARN,
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    ...(options.ssl
      ? {
          ssl: {
            rejectUnauthorized: true,
            ...(options.ssl.ca ? { ca: [options.ssl.ca] } : {}),
            ...(options.ssl.cert ? { cert: options.ssl.cert, key: options.ssl.key } : {}),
          },
        }
      : {}),
    ...(options.sasl ? { sasl: scram(options.sasl) } : {}),
    logCreator:
      () =>
      ({ level, namespace, log }) => {
        // kafkajs log entries carry broker/group metadata, never message values.
        const { message, timestamp: _t, logger: _l, ...extra } = log as Record<string, unknown>;
        const fields = { namespace, ...extra };
        const text = String(message);
        if (level === logLevel.ERROR) logger.error(fields, text);
        else if (level === logLevel.WARN) logger.warn(fields, text);
        else if (level === logLevel.INFO) logger.info(fields, text);
        else logger.debug(fields, text);
      },
  });
}

function scram({ mechanism, username, password }: KafkaSaslOptions): SASLOptions {
  return mechanism === 'scram-sha-512'
    ? { mechanism, username, password }
    : { mechanism: 'scram-sha-256', username, password };
}

/**
 * Producer for the outbox relay and dead-letter writes. Not idempotent: the Kafka-protocol
 * mock used locally has no controller and rejects InitProducerId, and duplicates are
 * harmless anyway because every consumer dedupes by event id in its inbox. Per-key order
 * comes from maxInFlightRequests 1 (a retried request cannot overtake a later one); callers
 * send with acks -1 so an acknowledged write is on all in-sync replicas.
 */
export function createProducer(kafka: KafkaClient): Producer {
  return kafka.producer({
    idempotent: false,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
