import fc from 'fast-check';
import type { ApiOperation, OperationParameter } from './openapi-operations';
import { arbitraryOf, type JsonSchema, type RefResolver } from './schema-arbitrary';

/** Who sends a request: a token's shape, or none. */
export type Caller =
  | { kind: 'staff' } // every staff role of the department
  | { kind: 'partner' }
  | { kind: 'role'; role: string }
  | { kind: 'other-department' }
  | { kind: 'none' }
  | { kind: 'garbage'; value: string }
  | { kind: 'unsigned' };

/** One generated request, before its token is filled in. */
export interface FuzzCase {
  /** What was done to it, e.g. "body wrong type at subjects.0.name". */
  label: string;
  method: string;
  /** Encoded path. */
  path: string;
  /** Encoded query string without "?" (may be empty). */
  query: string;
  headers: [string, string | Buffer][];
  caller: Caller;
  body?: Buffer;
  /** The parsed JSON body, when the case has one (used to derive malformed variants). */
  json?: unknown;
  /** True when no service may accept it: a 2xx is a finding. */
  mustReject: boolean;
}

/** Ids seen in responses so far, so valid requests can name records that exist. */
export class IdPool {
  private readonly byKey = new Map<string, Set<string>>();

  /** Collects every generated id in a response body under its field name and, for `id`, its resource. */
  harvest(body: unknown, path: string): void {
    const resource = resourceOf(path);
    // Depth tells the record itself (root, or an item of the root list) from ids nested in it.
    const stack: [unknown, number][] = [[body, 0]];
    let budget = 5000;
    while (stack.length && budget-- > 0) {
      const [v, depth] = stack.pop()!;
      if (Array.isArray(v)) v.forEach((x) => stack.push([x, depth + 1]));
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (typeof child === 'string' && ID_FORM.test(child)) {
            this.add(k, child);
            if (k === 'id' && resource && depth <= 2) this.add(`resource:${resource}`, child);
          } else if (typeof child === 'string' && /cursor$/i.test(k) && child.length < 2000) {
            this.add('cursor', child);
          } else if (typeof child === 'number' && Number.isInteger(child) && child > 0 && /version$/i.test(k)) {
            this.add(k, String(child));
          } else stack.push([child, depth + 1]);
        }
      }
    }
  }

  /** Values seen under a key (e.g. every next-page cursor). */
  seen(key: string): string[] {
    return [...(this.byKey.get(key) ?? [])];
  }

  private add(key: string, id: string): void {
    const set = this.byKey.get(key) ?? new Set();
    if (set.size < 50) set.add(id);
    this.byKey.set(key, set);
  }

  /** Known values for a path parameter: by its name, its resource segment and the singular form of that segment. */
  candidates(op: ApiOperation, param: string): string[] {
    const segments = op.path.split('/');
    const at = segments.indexOf(`{${param}}`);
    const resource = at > 0 ? segments[at - 1]! : '';
    const singular = resource.replace(/ies$/, 'y').replace(/s$/, '');
    const keys = [param === 'id' ? '' : param, `resource:${resource}`, `${singular}Id`].filter(Boolean);
    return [...new Set(keys.flatMap((k) => [...(this.byKey.get(k) ?? [])]))];
  }
}

const ID_FORM = /^[a-z]{2,8}_[0-9a-f]{32}$/;

function resourceOf(path: string): string | undefined {
  const segments = path.split('?')[0]!.split('/').filter(Boolean);
  // "/v1/incidents/inc_…" → incidents: the last segment that is not an id or a number.
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i]!;
    if (!ID_FORM.test(s) && !/^\d+$/.test(s) && s !== 'v1') return s;
  }
  return undefined;
}

const isNumeric = (s: JsonSchema) => s.type === 'number' || s.type === 'integer';

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);

function pathValue(op: ApiOperation, p: OperationParameter, pool: IdPool, latest: boolean): fc.Arbitrary<string> {
  const known = pool.candidates(op, p.name);
  if (latest && known.length) return fc.constant(known[known.length - 1]!);
  if (isNumeric(p.schema)) return fc.integer({ min: 1, max: 4 }).map(String);
  const prefixes = [...new Set(known.map((k) => k.split('_')[0]!))];
  const fresh = fc
    .tuple(prefixes.length ? fc.constantFrom(...prefixes) : fc.stringMatching(/^[a-z]{2,8}$/), hex32)
    .map(([prefix, hex]) => `${prefix}_${hex}`);
  return known.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fresh })
    : fresh;
}

function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$/);

/**
 * Values of a query or header parameter. A parameter documented without constraints (Nest's
 * `{}` or a bare string) gets a plausible value by its name — an instant for from/to, a small
 * number for limit, a cursor a previous page returned — else a plain token: the malformed
 * generators send the odd values, and a valid request should get a chance to succeed.
 */
function parameterValue(
  op: ApiOperation,
  p: OperationParameter,
  resolve: RefResolver,
  pool: IdPool,
): fc.Arbitrary<string> {
  const s = p.schema;
  const constrained =
    s.enum ||
    s.const !== undefined ||
    s.pattern ||
    s.format ||
    s.minimum !== undefined ||
    s.maximum !== undefined ||
    s.$ref;
  if (constrained) return arbitraryOf(s, resolve).map(scalarText);
  if (/cursor/i.test(p.name)) {
    const cursors = pool.seen('cursor');
    return cursors.length ? fc.constantFrom(...cursors) : fc.constant('');
  }
  if (/^(from|to|since|until|before|after)$|At$/i.test(p.name)) {
    return fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (/limit|size|days|count/i.test(p.name) || s.type === 'number' || s.type === 'integer')
    return fc.integer({ min: 1, max: 50 }).map(String);
  if (s.type === 'boolean') return fc.boolean().map(String);
  if (/id$|person|user|agency/i.test(p.name)) {
    const known = pool.candidates(op, p.name);
    return known.length ? fc.oneof(fc.constantFrom(...known), token) : token;
  }
  return token;
}

/** A request JSON-encoded as UTF-8. */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function bodyArbitrary(
  op: ApiOperation,
  resolve: RefResolver,
): fc.Arbitrary<{ contentType?: string; json?: unknown; body?: Buffer }> {
  if (op.bodies.length === 0) return fc.constant({});
  const json = op.bodies.find((b) => /json$/.test(b.contentType) && !/ndjson|jsonl/.test(b.contentType));
  if (json) {
    return arbitraryOf(json.schema, resolve).map((value) => ({
      contentType: 'application/json',
      json: value,
      body: jsonBytes(value),
    }));
  }
  // Streamed uploads (NDJSON, CSV): lines of records the schema does not describe.
  const media = op.bodies[0]!.contentType;
  const record = fc.dictionary(
    fc.stringMatching(/^[a-z][a-zA-Z]{0,11}$/),
    fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
    { maxKeys: 5 },
  );
  if (/csv/.test(media)) {
    return fc
      .array(fc.array(fc.stringMatching(/^[A-Za-z0-9 ]{0,12}$/), { minLength: 3, maxLength: 3 }), {
        minLength: 1,
        maxLength: 4,
      })
      .map((rows) => ({
        contentType: media,
        body: Buffer.from(['a,b,c', ...rows.map((r) => r.join(','))].join('\n') + '\n', 'utf8'),
      }));
  }
  return fc.array(record, { minLength: 1, maxLength: 4 }).map((rows) => ({
    contentType: media,
    body: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8'),
  }));
}

/** The documented example of an operation's JSON body (ApiZodBody puts it on the schema), when it has one. */
export function documentedExample(op: ApiOperation): unknown {
  const json = op.bodies.find((b) => b.contentType === 'application/json');
  return json?.example ?? (json?.schema as { example?: unknown } | undefined)?.example;
}

/**
 * Requests the documentation describes as valid, sent by a caller holding every staff role.
 * With `likely`, path ids are the ones most recently seen and the documented body example (when
 * there is one) stands in for a generated body: the request per operation most likely to succeed.
 */
export function validCase(
  op: ApiOperation,
  resolve: RefResolver,
  pool: IdPool,
  likely: { example?: unknown } | undefined = undefined,
): fc.Arbitrary<FuzzCase> {
  const example = likely?.example;
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  const headers = op.parameters.filter((p) => p.in === 'header');
  // Optional parameters are left out three times in four: each one sent is one more way to be refused.
  const optional = <T>(arb: fc.Arbitrary<T>, required: boolean) =>
    required ? arb : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => pathValue(op, p, pool, likely !== undefined))),
      query: fc.tuple(...query.map((p) => optional(parameterValue(op, p, resolve, pool), p.required))),
      headers: fc.tuple(
        ...headers.map((p) =>
          // A break-glass reason turns an ordinary read into an audited override: sent now and then only.
          /break-glass/i.test(p.name)
            ? fc.option(fc.constant('fuzz: checking an emergency read'), { nil: undefined, freq: 8 })
            : optional(parameterValue(op, p, resolve, pool), p.required || Boolean(p.schema.enum)),
        ),
      ),
      body:
        example === undefined
          ? bodyArbitrary(op, resolve)
          : fc.constant({ contentType: 'application/json', json: example, body: jsonBytes(example) }),
    })
    .map(({ path, query: q, headers: h, body }) => {
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, encodeURIComponent(path[i]!))));
      const qs = query
        .map((p, i) =>
          q[i] === undefined || q[i] === '' ? undefined : `${encodeURIComponent(p.name)}=${encodeURIComponent(q[i]!)}`,
        )
        .filter(Boolean)
        .join('&');
      const hs: [string, string][] = headers.flatMap((p, i) =>
        h[i] === undefined ? [] : [[p.name, h[i]!] as [string, string]],
      );
      if (body.contentType) hs.push(['Content-Type', body.contentType]);
      return {
        label: likely === undefined ? 'valid' : example === undefined ? 'valid, latest ids' : 'documented example',
        method: op.method,
        path: url,
        query: qs,
        headers: hs,
        caller: { kind: 'staff' } as Caller,
        body: body.body,
        json: body.json,
        mustReject: false,
      };
    });
}
