import { connect } from 'node:net';
import { issueDevToken } from '@cit/auth';
import { createIncidentExample } from '@cit/contracts';
import request from 'supertest';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { startIntakeTestApp, type IntakeTestApp } from './testing/intake-test-app';

// Malformed input as a class, sent to every route the OpenAPI document lists: text
// PostgreSQL cannot store (NUL, unpaired surrogates, invalid UTF-8) in path ids, JSON body
// fields and query parameters. Nothing may answer 5xx, every refusal is problem+json, a
// refused body names the field, and no row is written.

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  example?: unknown;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  op: OpenApiOperation;
}

const NUL = 'before\u0000after';
const LONE_HIGH = 'before\uD800after';
const LONE_LOW = 'before\uDC00after';

// Path ids no generated id can match, each as a client would put it on the wire.
const MALFORMED_IDS = [
  '%00',
  'inc_%00',
  `inc_${'0'.repeat(31)}%00`,
  '%ED%A0%80',
  `inc_%ED%B0%80`,
  '%C0%80',
  '%F0%9F',
  'not-an-id',
];

const wellFormedId = (prefix: string) => `${prefix}_${'0'.repeat(31)}1`;

/** A value the schema accepts, with every optional property present so that every string field gets its turn. */
function sample(schema: JsonSchema, name = ''): unknown {
  if (schema.example !== undefined) return schema.example;
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return sample(variant, name);
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          // A cursor must come from a previous page; it cannot be made up.
          .filter(([key]) => key !== 'cursor')
          .map(([key, child]) => [key, sample(child, key)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sample(schema.items ?? { type: 'string' }, name),
      );
    case 'integer':
    case 'number':
      return Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Math.max(schema.minimum ?? 1, 1));
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'date-time') return '2026-11-27T07:14:00Z';
      if (schema.format === 'date') return '1980-02-03';
      const candidates = [
        ...(/id$/i.test(name) ? [wellFormedId('per')] : []),
        'sample',
        '555-010-1234',
        'en',
        '1980-02-03',
      ];
      return schema.pattern ? (candidates.find((c) => new RegExp(schema.pattern!).test(c)) ?? 'sample') : candidates[0];
    }
    default:
      return 'sample';
  }
}

/** Paths to every string in a JSON value (dotted, as the chassis names fields). */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withValueAt(value: unknown, path: (string | number)[], replacement: string): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = replacement;
  return copy;
}

describe('bad input on every intake route (real PostgreSQL)', () => {
  let t: IntakeTestApp;
  let token: string;
  let routes: Route[];
  let realIds: Record<string, string>;
  let countsBefore: Record<string, number>;
  const failures: string[] = [];
  // Parameters of every query the app runs: a malformed id must be refused before it is one.
  const queryParameters: unknown[][] = [];

  // Counted as the owner: the runtime role (t.db.dataSource) would see no department's rows without a tenant.
  async function rowCounts(): Promise<Record<string, number>> {
    const tables = (await t.db.ownerDataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY tablename`,
    )) as { tablename: string }[];
    const counts: Record<string, number> = {};
    for (const { tablename } of tables) {
      const [{ n }] = (await t.db.ownerDataSource.query(`SELECT count(*)::int AS n FROM "${tablename}"`)) as {
        n: number;
      }[];
      counts[tablename] = n;
    }
    return counts;
  }

  /** A path with every parameter filled: the real id of a fixture where one exists, else a well-formed id. */
  function fill(route: Route, override?: { name: string; value: string }): string {
    return route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      if (override?.name === name) return override.value;
      return realIds[`${route.path.split('/')[2]}:${name}`] ?? wellFormedId('xxx');
    });
  }

  function jsonBodyOf(route: Route): unknown {
    const content = route.op.requestBody?.content['application/json'];
    if (!content) return undefined;
    if (route.method === 'post' && route.path === '/v1/incidents')
      return { ...createIncidentExample, externalIds: { cadCallNumber: 'CAD-BAD-1' } };
    return sample(content.schema);
  }

  /** The route's required query parameters with valid values, plus raw (already encoded) extras. */
  function queryOf(route: Route, extra: Record<string, string> = {}): string {
    const params: Record<string, string> = {};
    for (const p of route.op.parameters ?? []) {
      if (p.in === 'query' && p.required)
        params[p.name] = encodeURIComponent(String(sample(p.schema ?? { type: 'string' }, p.name)));
    }
    const all = Object.entries({ ...params, ...extra });
    return all.length ? `?${all.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
  }

  function send(route: Route, path: string, body: unknown, extraQuery: Record<string, string> = {}) {
    const req = request(t.url)
      [route.method](`${path}${queryOf(route, extraQuery)}`)
      .set('authorization', `Bearer ${token}`);
    if (route.op.requestBody && !route.op.requestBody.content['application/json']) {
      // Streaming routes (the import) take their own formats; a NUL and a lone surrogate go in one line.
      return req
        .set('content-type', 'application/x-ndjson')
        .send(`${JSON.stringify({ ...createIncidentExample, narrative: `${NUL} ${LONE_HIGH}` })}\n`);
    }
    return body === undefined ? req : req.send(body as object);
  }

  function check(what: string, res: request.Response, expected: { status?: number; field?: string }): void {
    const problem = res.headers['content-type']?.startsWith('application/problem+json');
    const fields = ((res.body as { errors?: { field: string }[] })?.errors ?? []).map((e) => e.field);
    if (res.status >= 500) failures.push(`${what}: ${res.status}`);
    else if (res.status >= 400 && !problem) failures.push(`${what}: ${res.status} without problem+json`);
    else if (expected.status !== undefined && res.status !== expected.status)
      failures.push(`${what}: ${res.status}, expected ${expected.status}`);
    else if (expected.field !== undefined && !fields.includes(expected.field))
      failures.push(`${what}: errors name ${JSON.stringify(fields)}, not ${expected.field}`);
  }

  beforeAll(async () => {
    t = await startIntakeTestApp('badinput');
    token = await issueDevToken({
      roles: ['officer', 'clinician', 'coordinator', 'supervisor', 'admin'],
      department: 'dept-a',
    });
    const doc = (await (await fetch(`${t.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method: method as Route['method'], path, op })),
    );

    const query = PostgresQueryRunner.prototype.query;
    jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (
      this: PostgresQueryRunner,
      ...args: Parameters<typeof query>
    ) {
      if (Array.isArray(args[1])) queryParameters.push(args[1]);
      return query.apply(this, args);
    });

    // Real rows, so that requests with a bad body reach as far as the service would let them.
    const created = await request(t.url)
      .post('/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .send({ ...createIncidentExample, externalIds: { cadCallNumber: 'CAD-BAD-FIXTURE' } })
      .expect(201);
    const incident = created.body as { id: string; subjects?: { personId?: string }[] };
    realIds = { 'incidents:id': incident.id };
    const personId = incident.subjects?.find((s) => s.personId)?.personId;
    if (personId) realIds['persons:id'] = personId;
    const queue = await request(t.url).get('/v1/review-queue').set('authorization', `Bearer ${token}`);
    const itemId = (queue.body as { items?: { id: string }[] }).items?.[0]?.id;
    if (itemId) realIds['review-queue:itemId'] = itemId;

    // Settle: whatever the fixture set off in the background has finished before the baseline.
    let previous = '';
    for (let i = 0; i < 20; i++) {
      countsBefore = await rowCounts();
      if (JSON.stringify(countsBefore) === previous) break;
      previous = JSON.stringify(countsBefore);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(() => t?.close());
  beforeEach(() => {
    failures.length = 0;
  });

  it('finds the routes in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.some((r) => r.path.includes('{'))).toBe(true);
  });

  it('answers malformed path ids with 404 problem+json before any query', async () => {
    for (const route of routes) {
      for (const param of (route.op.parameters ?? []).filter((p) => p.in === 'path')) {
        for (const id of MALFORMED_IDS) {
          const res = await send(route, fill(route, { name: param.name, value: id }), jsonBodyOf(route));
          check(`${route.method.toUpperCase()} ${route.path} ${param.name}=${id}`, res, { status: 404 });
        }
      }
    }
    expect(failures).toEqual([]);
    const decoded = MALFORMED_IDS.map((id) => {
      try {
        return decodeURIComponent(id);
      } catch {
        return id;
      }
    });
    const reached = queryParameters.flat().filter((p) => typeof p === 'string' && decoded.some((id) => p.includes(id)));
    expect(reached).toEqual([]);
  });

  it('refuses NUL and unpaired surrogates in every string field of every JSON body, naming the field', async () => {
    let sent = 0;
    for (const route of routes) {
      const body = jsonBodyOf(route);
      if (body === undefined) continue;
      for (const path of stringPaths(body)) {
        for (const bad of [NUL, LONE_HIGH, LONE_LOW]) {
          const res = await send(route, fill(route), withValueAt(body, path, bad));
          check(`${route.method.toUpperCase()} ${route.path} body ${path.join('.')}=${JSON.stringify(bad)}`, res, {
            status: 400,
            field: path.join('.'),
          });
          sent++;
        }
      }
      // A field name is text too.
      const res = await send(route, fill(route), { ...(body as object), [NUL]: 'x' });
      check(`${route.method.toUpperCase()} ${route.path} body key with NUL`, res, { status: 400 });
    }
    expect(sent).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('refuses NUL in query parameters, naming the parameter', async () => {
    for (const route of routes) {
      const names = new Set([...(route.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), 'q']);
      for (const name of names) {
        const res = await send(route, fill(route), jsonBodyOf(route), { [name]: 'a%00b' });
        check(`${route.method.toUpperCase()} ${route.path} ?${name}=a%00b`, res, { status: 400, field: name });
      }
    }
    expect(failures).toEqual([]);
  });

  it('sends the streaming import a line with NUL and a lone surrogate without a 5xx', async () => {
    for (const route of routes.filter((r) => r.op.requestBody && !r.op.requestBody.content['application/json'])) {
      const res = await send(route, fill(route), undefined);
      check(`${route.method.toUpperCase()} ${route.path} NDJSON with NUL`, res, {});
      // The line is refused as a row (the import's own report records it); nothing of it is imported.
      if (res.status < 300) expect((res.body as { rowsImported?: number }).rowsImported ?? 0).toBe(0);
    }
    expect(failures).toEqual([]);
  });

  it('answers a NUL byte in a header (Idempotency-Key) with 400 problem+json', async () => {
    const { port } = new URL(t.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString('latin1')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      const body = JSON.stringify({ ...createIncidentExample, externalIds: { cadCallNumber: 'CAD-BAD-HDR' } });
      socket.write(
        `POST /v1/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nIdempotency-Key: a\u0000b\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        'latin1',
      );
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw.toLowerCase()).toContain('content-type: application/problem+json');
  });

  it('stored nothing', async () => {
    // An import records its refused lines in its own report; those rows are the answer, not data.
    const { import_job: _j, import_row_error: _e, ...after } = await rowCounts();
    const { import_job: _jb, import_row_error: _eb, ...before } = countsBefore;
    expect(after).toEqual(before);
  });
});
