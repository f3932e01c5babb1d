import type { CloudEvent } from '@cit/contracts';

/** Outcome of validating a decoded message: the typed event, or a reason without payload contents. */
export type EventValidation = { ok: true; event: CloudEvent } | { ok: false; error: string };

/** Validates envelope and data of a decoded message (default: parseCloudEvent from @cit/contracts). */
export type EventValidator = (raw: unknown) => EventValidation;
