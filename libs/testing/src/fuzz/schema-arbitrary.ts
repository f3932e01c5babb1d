import fc from 'fast-check';

/** The JSON Schema subset the services' OpenAPI documents use (zod's draft-7 output and Nest's parameter schemas). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema | JsonSchema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  $ref?: string;
  default?: unknown;
}

/** Resolves local `#/...` references of the document a schema came from. */
export type RefResolver = (ref: string) => JsonSchema | undefined;

const noRefs: RefResolver = () => undefined;

// Generated text stays printable and valid Unicode: the malformed generators add NUL, lone
// surrogates and invalid bytes on purpose, valid requests must not carry them by accident.
const text = (minLength: number, maxLength: number) =>
  fc.string({ unit: 'grapheme', minLength, maxLength }).filter((s) => s.length >= minLength && s.length <= maxLength);

const isoDate = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2035-12-31T00:00:00Z'),
  noInvalidDate: true,
});

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  // Valid values stay short; the malformed generators produce the huge ones.
  const max = Math.max(min, Math.min(s.maxLength ?? 40, min + 40));
  const fits = (v: string) => v.length >= min && (s.maxLength === undefined || v.length <= s.maxLength);
  switch (s.format) {
    case 'date-time':
      return isoDate.map((d) => d.toISOString());
    case 'date':
      return isoDate.map((d) => d.toISOString().slice(0, 10));
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress().filter((e) => /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(e) && fits(e));
    case 'uri':
    case 'url':
      return fc.webUrl({ validSchemes: ['https'] }).filter(fits);
    default:
      break;
  }
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
    } catch {
      // A pattern fast-check cannot invert (lookarounds): candidates are filtered by ajv later.
      return text(min, max);
    }
  }
  return text(min, max);
}

function numberArbitrary(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const exMin = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined;
  const exMax = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : undefined;
  let min = s.minimum ?? (exMin !== undefined ? exMin : -1_000_000);
  let max = s.maximum ?? (exMax !== undefined ? exMax : 1_000_000);
  // Unbounded sides stay within a plausible range: huge numbers are the malformed generators' job.
  min = Math.max(min, -1_000_000_000);
  max = Math.min(max, 1_000_000_000);
  if (integer) {
    const lo = Math.ceil(exMin !== undefined && exMin === min ? min + 1 : min);
    const hi = Math.floor(exMax !== undefined && exMax === max ? max - 1 : max);
    return fc.integer({ min: lo, max: Math.max(lo, hi) });
  }
  return fc
    .double({
      min,
      max,
      noNaN: true,
      noDefaultInfinity: true,
      minExcluded: exMin !== undefined,
      maxExcluded: exMax !== undefined,
    })
    .map((n) => (Object.is(n, -0) ? 0 : n));
}

/** A fast-check arbitrary of values valid against `schema` (best effort: callers filter with a validator). */
export function arbitraryOf(schema: JsonSchema, resolve: RefResolver = noRefs, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = resolve(schema.$ref);
    return target && depth < 8 ? arbitraryOf(target, resolve, depth + 1) : fc.constant(null);
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, resolve, depth + 1)));
  if (schema.allOf?.length) return arbitraryOf(Object.assign({}, ...schema.allOf) as JsonSchema, resolve, depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : inferTypes(schema);
  const options = types.map((t) => arbitraryOfType(t, schema, resolve, depth));
  if (schema.nullable) options.push(fc.constant(null));
  return options.length === 1 ? options[0]! : fc.oneof(...options);
}

function inferTypes(schema: JsonSchema): string[] {
  if (schema.properties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items) return ['array'];
  if (schema.pattern || schema.format || schema.minLength !== undefined) return ['string'];
  // An empty schema ({}) accepts anything; a short string is the value a query or header parameter carries.
  return ['string'];
}

function arbitraryOfType(type: string, s: JsonSchema, resolve: RefResolver, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(s);
    case 'integer':
      return numberArbitrary(s, true);
    case 'number':
      return numberArbitrary(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = Array.isArray(s.items)
        ? fc.oneof(...s.items.map((i) => arbitraryOf(i, resolve, depth + 1)))
        : arbitraryOf(s.items ?? {}, resolve, depth + 1);
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 3, minLength + 3));
      return s.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object':
      return objectArbitrary(s, resolve, depth);
    default:
      return fc.constant(null);
  }
}

function objectArbitrary(s: JsonSchema, resolve: RefResolver, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const record = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryOf(v, resolve, depth + 1)])),
    { requiredKeys: Object.keys(props).filter((k) => required.has(k)) },
  ) as fc.Arbitrary<Record<string, unknown>>;
  const extra = s.additionalProperties;
  if (extra && typeof extra === 'object' && Object.keys(props).length === 0) {
    const key = s.propertyNames
      ? (arbitraryOf(s.propertyNames, resolve, depth + 1) as fc.Arbitrary<string>)
      : text(1, 12);
    return fc.dictionary(key, arbitraryOf(extra, resolve, depth + 1), { maxKeys: 3 });
  }
  return record;
}
