import type { z } from 'zod';

/** Everything the platform knows about one event type: its schema, stream and an example. */
export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  /** CloudEvents type, e.g. cit.incident.reported.v1. */
  readonly type: TType;
  /** Topic of the aggregate stream the event is published on. */
  readonly topic: string;
  /** Aggregate the CloudEvents subject identifies (its id is the Kafka key). */
  readonly aggregate: string;
  /** Service that emits it; its CloudEvents source is eventSource(producer). */
  readonly producer: string;
  /**
   * Emitted by every platform service through its own outbox under its own source
   * (eventSource(service)), e.g. break-glass notices; producer then names the stream's owner.
   */
  readonly emittedByEveryService?: boolean;
  readonly summary: string;
  /** Runtime schema of `data`; the TypeScript type is derived from it. */
  readonly data: TSchema;
  /** A valid example of `data`, checked against the schema by the contract tests. */
  readonly example: z.infer<TSchema>;
  /** Data fields holding PHI; they are carried only as ciphertext. */
  readonly phiFields?: readonly string[];
}

/** Declares an event type; the literal types flow into the catalog. */
export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  definition: EventDefinition<TType, TSchema>,
): EventDefinition<TType, TSchema> {
  return definition;
}
