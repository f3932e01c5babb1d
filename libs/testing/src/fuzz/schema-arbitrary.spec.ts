import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { malformedCase } from './malformed-arbitraries';
import { operationsOf, refResolver, type OpenApiDocument } from './openapi-operations';
import { IdPool, validCase } from './request-arbitraries';
import { arbitraryOf, type JsonSchema } from './schema-arbitrary';

// The schema shapes zod's draft-7 output gives the services' request bodies.
const incident: JsonSchema = {
  type: 'object',
  properties: {
    occurredAt: { type: 'string', format: 'date-time' },
    callType: { type: 'string', minLength: 1, maxLength: 64 },
    officer: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    count: { type: 'integer', exclusiveMinimum: 0, maximum: 20 },
    encounter: { type: 'string', enum: ['criminal', 'non-criminal'] },
    kind: { const: 'call' },
    note: { anyOf: [{ type: 'string', maxLength: 10 }, { type: 'null' }] },
    codes: { type: 'array', items: { type: 'string', enum: ['A', 'D'] }, maxItems: 2, uniqueItems: true },
    flags: { type: 'object', additionalProperties: { type: 'boolean' }, propertyNames: { pattern: '^[a-z]{1,8}$' } },
    subject: { $ref: '#/components/schemas/Subject' },
  },
  required: ['occurredAt', 'callType', 'encounter', 'kind', 'subject'],
  additionalProperties: false,
};

const doc: OpenApiDocument = {
  components: {
    schemas: {
      Subject: {
        type: 'object',
        properties: { name: { type: 'string', minLength: 1, maxLength: 20 } },
        required: ['name'],
        additionalProperties: false,
      },
    },
  },
  paths: {
    '/v1/incidents/{id}': {
      put: {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: {} },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: incident } } },
        security: [{ bearer: [] }],
      },
    },
  },
};

const ajv = new Ajv({ strict: false });
addFormats(ajv);
ajv.addSchema({ components: doc.components }, 'doc');
const validate = ajv.compile(JSON.parse(JSON.stringify(incident).replace(/"#\/components\//g, '"doc#/components/')));

describe('arbitraryOf', () => {
  it('generates only values the schema accepts', () => {
    fc.assert(
      fc.property(arbitraryOf(incident, refResolver(doc)), (value) => {
        expect(validate(value)).toBe(true);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('operations and requests', () => {
  const [op] = operationsOf(doc);

  it('reads every operation with its parameters, body and security', () => {
    expect(op).toMatchObject({ key: 'PUT /v1/incidents/{id}', method: 'PUT', secured: true });
    expect(op!.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(['path:id:true', 'query:limit:false']);
  });

  it('fills path ids with ids seen in earlier responses or well-formed fresh ones', () => {
    const pool = new IdPool();
    pool.harvest(
      { items: [{ id: 'inc_0123456789abcdef0123456789abcdef', subjectId: 'sub_0123456789abcdef0123456789abcdef' }] },
      '/v1/incidents',
    );
    const paths = fc.sample(validCase(op!, refResolver(doc), pool), { seed: 1, numRuns: 50 }).map((c) => c.path);
    expect(paths).toContain('/v1/incidents/inc_0123456789abcdef0123456789abcdef');
    for (const p of paths) expect(p).toMatch(/^\/v1\/incidents\/[a-z]{2,8}_[0-9a-f]{32}$/);
  });

  it('marks a malformed request as one no service may accept only when it truly is', () => {
    const isValid = (v: unknown) => validate(v) as boolean;
    const cases = fc.sample(malformedCase(op!, validCase(op!, refResolver(doc), new IdPool()), ['officer'], isValid), {
      seed: 7,
      numRuns: 400,
    });
    for (const c of cases) {
      if (c.label.startsWith('body: wrong type') || c.label.startsWith('body: missing')) {
        expect(c.mustReject).toBe(isValid(c.json) === false);
      }
      if (/^body: text .*(\\u0000|\\ud8|\\udc)/.test(c.label)) expect(c.mustReject).toBe(true);
      if (c.label === 'caller none') expect(c.mustReject).toBe(true);
      if (c.label.startsWith('body: bytes')) expect(c.mustReject).toBe(false);
    }
    const labels = new Set(cases.map((c) => c.label.split(/[ :]/)[0]));
    expect([...labels].sort()).toEqual(['body', 'caller', 'content', 'header', 'method', 'path', 'query']);
  });
});
