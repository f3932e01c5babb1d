// Validates HSDS 3.1 directory documents against the vendored JSON Schemas (ajv, all errors).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { HSDS_SCHEMAS } from './hsds-schemas';

/** One problem of a document, located by a JSON pointer (RFC 6901) into it. */
export interface PointerError {
  pointer: string;
  detail: string;
}

/** The directory exchange document: HSDS organizations and services (services link by organization_id). */
const DOCUMENT_SCHEMA = {
  $id: 'cit-hsds-directory.json',
  type: 'object',
  required: ['organizations', 'services'],
  properties: {
    organizations: { type: 'array', items: { $ref: 'organization.json' } },
    services: { type: 'array', items: { $ref: 'service.json' } },
  },
};

function describe(e: ErrorObject): PointerError {
  const pointer = e.instancePath || '';
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return { pointer: `${pointer}/${missing}`, detail: 'is required' };
  }
  if (e.keyword === 'enum') {
    return { pointer, detail: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
  }
  // ajv's messages name the keyword and its limit, never the offending value.
  return { pointer, detail: e.message ?? e.keyword };
}

/** Compiled once: the HSDS schemas, their formats (uuid, uri, email, date-time) and the document wrapper. */
export class HsdsValidator {
  private readonly document: ValidateFunction;
  private readonly service: ValidateFunction;
  private readonly organization: ValidateFunction;

  constructor() {
    // strict off: the HSDS files carry non-JSON-Schema keywords (name, constraints, core, example...).
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, schema] of HSDS_SCHEMAS) ajv.addSchema(schema, name);
    this.document = ajv.compile(DOCUMENT_SCHEMA);
    this.service = ajv.getSchema('service.json')!;
    this.organization = ajv.getSchema('organization.json')!;
  }

  validateDocument(doc: unknown): PointerError[] {
    return this.run(this.document, doc);
  }

  validateService(service: unknown): PointerError[] {
    return this.run(this.service, service);
  }

  validateOrganization(organization: unknown): PointerError[] {
    return this.run(this.organization, organization);
  }

  private run(validate: ValidateFunction, value: unknown): PointerError[] {
    if (validate(value)) return [];
    return (validate.errors ?? []).map(describe);
  }
}
