import { z } from 'zod';

/** Event type names: cit.<aggregate>.<event>.v<major>, e.g. cit.incident.reported.v1. */
export const EVENT_TYPE_PATTERN = /^cit\.[a-z][a-z-]*\.[a-z][a-z-]*\.v[0-9]+$/;

/** The CloudEvents `source` of every event a service produces, e.g. /cit/intake. */
export const eventSource = (service: string): string => `/cit/${service}`;

/** Identifiers that may appear in keys, headers and logs: never names or other PHI. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be an identifier (letters, digits, . _ : -)');

/**
 * CloudEvents 1.0 structured-mode envelope with the platform's extensions.
 * departmentid is the tenant; correlationid ties one business flow together;
 * causationid is the id of the event or request that caused this one.
 */
export const cloudEventEnvelopeSchema = z.strictObject({
  specversion: z.literal('1.0'),
  id: z.uuid(),
  source: z.string().min(1).max(256),
  type: z.string().regex(EVENT_TYPE_PATTERN, 'must look like cit.<aggregate>.<event>.v<major>'),
  subject: idSchema,
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().optional(),
  departmentid: idSchema,
  correlationid: z.string().min(1).max(128),
  causationid: z.string().min(1).max(128).optional(),
  data: z.unknown(),
});

/** A CloudEvent whose data is of type TData. */
export type CloudEvent<TData = unknown> = Omit<z.infer<typeof cloudEventEnvelopeSchema>, 'data'> & {
  data: TData;
};
