import fc from 'fast-check';
import type { ApiOperation } from './openapi-operations';
import { jsonBytes, type Caller, type FuzzCase } from './request-arbitraries';

/** Whether a JSON body is valid against the operation's documented schema (undefined: cannot tell). */
export type BodyValidator = (value: unknown) => boolean | undefined;

type Path = (string | number)[];

/** Every place in a JSON value a mutation can hit: the root, each member and each item. */
function locations(value: unknown): { path: Path; value: unknown }[] {
  const out: { path: Path; value: unknown }[] = [];
  const stack: { path: Path; value: unknown }[] = [{ path: [], value }];
  while (stack.length && out.length < 500) {
    const at = stack.pop()!;
    out.push(at);
    if (Array.isArray(at.value)) at.value.forEach((v, i) => stack.push({ path: [...at.path, i], value: v }));
    else if (at.value && typeof at.value === 'object')
      for (const [k, v] of Object.entries(at.value)) stack.push({ path: [...at.path, k], value: v });
  }
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

const show = (path: Path) => (path.length ? path.join('.') : '(body)');

function pick<T>(items: T[], n: number): T | undefined {
  return items.length ? items[n % items.length] : undefined;
}

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, 1e308, true, '', 'x', [], {}, [1, 'a'], { a: 1 }, '0', 'null'];

// Strings PostgreSQL text cannot hold, and what JSON.stringify makes of them (a lone surrogate stays an escape).
const BAD_TEXT = ['a\u0000b', '\u0000', 'x\ud800y', '\udc00', 'ok\ud83d'];

// Raw bytes that are not UTF-8, spliced into the JSON text where a marker string stood.
const BAD_BYTES = [
  Buffer.from([0xff]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xc0, 0x80]),
];

const MARKER = '\u2603FUZZ\u2603';

function withBytes(json: unknown, bytes: Buffer): Buffer {
  const text = JSON.stringify(json);
  const at = text.indexOf(MARKER);
  const enc = Buffer.from(text, 'utf8');
  if (at < 0) return enc;
  const before = Buffer.byteLength(text.slice(0, at), 'utf8');
  return Buffer.concat([enc.subarray(0, before), bytes, enc.subarray(before + Buffer.byteLength(MARKER, 'utf8'))]);
}

// Path segments no generated id can be: text PostgreSQL cannot store, odd numbers, traversal, huge.
const BAD_IDS = [
  '%00',
  'abc%00def',
  '%FF',
  '%ED%A0%80',
  '%C3%28',
  '%',
  '%zz',
  'x'.repeat(5000),
  '..%2F..%2Fetc',
  'NaN',
  '-1',
  '0',
  '1.5',
  '1e309',
  '99999999999999999999999',
  "'%20OR%201%3D1--",
  '%F0%9F%92%A9',
  'INC_0123456789ABCDEF0123456789ABCDEF',
  'inc_0123456789abcdef0123456789abcdef%00',
  '%20',
];

// Percent-encodings of NUL, bytes that are not UTF-8 (an encoded surrogate among them) and broken escapes.
const UNSTORABLE = /%00|%FF|%ED%A0|%C3%28|%zz|%$/;

const BAD_QUERY_VALUES = [
  '%00',
  'a%00',
  '%FF',
  '%ED%A0%80',
  'x'.repeat(10000),
  '-1',
  '0',
  '1e309',
  'NaN',
  '%5B%5D',
  '%7B%7D',
  'true',
  '%',
  '2024-13-45',
];

const BAD_JSON = [
  '{',
  '{"a":',
  'nul',
  '\uFEFF{}',
  '[]',
  '"x"',
  '1',
  'null',
  '',
  '{"a":1,"a":2}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  ';;;',
  'application/',
  'application/json\u0000',
];

// Unparsable text and prototype keys (Fastify refuses both) are always refused; parsable JSON when the schema refuses it.
function notJsonMustReject(text: string, op: ApiOperation, isValidBody: BodyValidator): boolean {
  if (text === '') return op.bodies.some((b) => b.required);
  if (/__proto__|constructor/.test(text)) return true;
  try {
    // Fastify strips a byte order mark before parsing.
    return isValidBody(JSON.parse(text.replace(/^\uFEFF/, ''))) === false;
  } catch {
    return true;
  }
}

function alg(header: object): string {
  return Buffer.from(JSON.stringify(header)).toString('base64url');
}

const UNSIGNED = `${alg({ alg: 'none', typ: 'JWT' })}.${alg({ sub: 'fuzz', roles: ['admin'], department_id: 'dept-a' })}.`;

/** Malformed variants of valid requests: each mutation names what it did and whether a 2xx would be a finding. */
export function malformedCase(
  op: ApiOperation,
  valid: fc.Arbitrary<FuzzCase>,
  roles: readonly string[],
  isValidBody: BodyValidator,
): fc.Arbitrary<FuzzCase> {
  const hasJsonBody = op.bodies.some((b) => b.contentType === 'application/json');
  const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const headerParams = op.parameters.filter((p) => p.in === 'header').map((p) => p.name);

  const json = (base: FuzzCase, value: unknown, label: string, body = jsonBytes(value)): FuzzCase => ({
    ...base,
    label,
    json: value,
    body,
    headers: [...base.headers.filter(([n]) => n !== 'Content-Type'), ['Content-Type', 'application/json']],
    // Schema-invalid bodies must be refused; a schema-valid one (the mutation missed) may pass.
    mustReject: isValidBody(value) === false,
  });

  const bodyMutations: fc.Arbitrary<FuzzCase>[] = hasJsonBody
    ? [
        fc.tuple(valid, fc.nat(), fc.constantFrom(...WRONG_VALUES)).map(([b, n, wrong]) => {
          const at = pick(locations(b.json), n)!;
          return json(
            b,
            setAt(b.json, at.path, wrong),
            `body: wrong type ${JSON.stringify(wrong)} at ${show(at.path)}`,
          );
        }),
        fc.tuple(valid, fc.nat()).map(([b, n]) => {
          const at = pick(
            locations(b.json).filter((l) => l.path.length > 0),
            n,
          );
          return at
            ? json(b, deleteAt(b.json, at.path), `body: missing ${show(at.path)}`)
            : json(b, undefined, 'body: empty', Buffer.alloc(0));
        }),
        fc
          .tuple(valid, fc.nat(), fc.constantFrom('unknownField', '__proto__', 'constructor', 'x'.repeat(300), ''))
          .map(([b, n, key]) => {
            const objects = locations(b.json).filter(
              (l) => l.value && typeof l.value === 'object' && !Array.isArray(l.value),
            );
            const at = pick(objects, n);
            const value = at ? setAt(b.json, [...at.path, key], 1) : { [key]: 1 };
            // JSON.stringify drops a __proto__ member set this way: spell it out in the text.
            const text =
              key === '__proto__' && at
                ? JSON.stringify(value).replace(/^\{/, '{"__proto__":{"polluted":1},')
                : undefined;
            return {
              ...json(
                b,
                value,
                `body: unknown field ${key.slice(0, 20)} at ${show(at?.path ?? [])}`,
                text ? Buffer.from(text) : undefined,
              ),
              mustReject: text !== undefined || isValidBody(value) === false,
            };
          }),
        fc.tuple(valid, fc.nat(), fc.constantFrom(300, 20_001, 100_000, 400_000)).map(([b, n, size]) => {
          const strings = locations(b.json).filter((l) => typeof l.value === 'string');
          const at = pick(strings, n) ?? pick(locations(b.json), n)!;
          return json(
            b,
            setAt(b.json, at.path, 'x'.repeat(size)),
            `body: ${size}-character string at ${show(at.path)}`,
          );
        }),
        fc.tuple(valid, fc.nat(), fc.constantFrom(1_000, 50_000)).map(([b, n, size]) => {
          const arrays = locations(b.json).filter((l) => Array.isArray(l.value));
          const at = pick(arrays, n) ?? pick(locations(b.json), n)!;
          const item = Array.isArray(at.value) && at.value.length ? at.value[0] : 'x';
          return json(
            b,
            setAt(
              b.json,
              at.path,
              Array.from({ length: size }, () => item),
            ),
            `body: ${size}-item array at ${show(at.path)}`,
          );
        }),
        fc
          .tuple(
            valid,
            fc.nat(),
            fc.constantFrom(64, 2_000, 60_000),
            fc.constantFrom('array' as const, 'object' as const),
          )
          .map(([b, n, depth, kind]) => {
            const at = pick(locations(b.json), n)!;
            const marked = setAt(b.json, at.path, MARKER);
            const text = JSON.stringify(marked).replace(JSON.stringify(MARKER), nested(depth, kind));
            return {
              ...json(b, marked, `body: ${kind}s nested ${depth} deep at ${show(at.path)}`, Buffer.from(text)),
              mustReject: true,
            };
          }),
        // Every string of the body at once: whichever field reaches storage unguarded carries it.
        fc.tuple(valid, fc.constantFrom(...BAD_TEXT)).map(([b, bad]) => ({
          ...json(
            b,
            mapStrings(b.json, (v) => `${v}${bad}`),
            `body: text ${JSON.stringify(bad)} appended to every string`,
          ),
          mustReject: locations(b.json).some((l) => typeof l.value === 'string'),
        })),
        fc.tuple(valid, fc.nat(), fc.constantFrom(...BAD_TEXT), fc.boolean()).map(([b, n, bad, asKey]) => {
          const all = locations(b.json);
          const strings = all.filter((l) => typeof l.value === 'string');
          const objects = all.filter((l) => l.value && typeof l.value === 'object' && !Array.isArray(l.value));
          if (asKey && objects.length) {
            const at = pick(objects, n)!;
            return {
              ...json(
                b,
                setAt(b.json, [...at.path, bad], 'v'),
                `body: field name ${JSON.stringify(bad)} at ${show(at.path)}`,
              ),
              mustReject: true,
            };
          }
          const at = pick(strings, n) ?? pick(all, n)!;
          return {
            ...json(b, setAt(b.json, at.path, bad), `body: text ${JSON.stringify(bad)} at ${show(at.path)}`),
            mustReject: true,
          };
        }),
        fc.tuple(valid, fc.nat(), fc.constantFrom(...BAD_BYTES)).map(([b, n, bytes]) => {
          const strings = locations(b.json).filter((l) => typeof l.value === 'string');
          const at = pick(strings, n) ?? pick(locations(b.json), n)!;
          const marked = setAt(b.json, at.path, MARKER);
          // Invalid UTF-8 decodes to U+FFFD: a request may legitimately pass with it.
          return {
            ...json(
              b,
              marked,
              `body: bytes ${bytes.toString('hex')} (not UTF-8) at ${show(at.path)}`,
              withBytes(marked, bytes),
            ),
            mustReject: false,
          };
        }),
        fc.tuple(valid, fc.constantFrom(...BAD_JSON)).map(([b, text]) => ({
          ...json(b, undefined, `body: not JSON ${JSON.stringify(text)}`, Buffer.from(text, 'utf8')),
          mustReject: notJsonMustReject(text, op, isValidBody),
        })),
      ]
    : [];

  // Streamed uploads (NDJSON, CSV): their own reader meets NUL, bytes that are not UTF-8, a huge line, a broken line.
  const streamMutations = op.bodies.some((b) => !/json$/.test(b.contentType) || /ndjson|jsonl/.test(b.contentType))
    ? [
        fc
          .tuple(
            valid,
            fc.constantFrom(
              Buffer.from('{"a":"x\\u0000y"}\n'),
              Buffer.from('a\u0000b,c,d\n'),
              Buffer.from([0xff, 0xfe, 0x0a]),
              Buffer.from([0xed, 0xa0, 0x80, 0x0a]),
              Buffer.from('{"a":\n'),
              Buffer.from(`${'x'.repeat(2_000_000)}\n`),
              Buffer.from(`${'['.repeat(50_000)}\n`),
            ),
          )
          .map(([b, extra]) => ({
            ...b,
            label: `streamed body with ${extra.length > 60 ? `${extra.length} bytes` : JSON.stringify(extra.toString('latin1'))} appended`,
            body: Buffer.concat([b.body ?? Buffer.alloc(0), extra]),
            mustReject: false,
          })),
      ]
    : [];

  const contentTypes =
    op.bodies.length > 0
      ? [
          fc.tuple(valid, fc.constantFrom(...CONTENT_TYPES, undefined)).map(([b, type]) => ({
            ...b,
            label: `content type ${JSON.stringify(type ?? '(none)')}`,
            headers: [
              ...b.headers.filter(([n]) => n !== 'Content-Type'),
              ...(type === undefined ? [] : [['Content-Type', type] as [string, string]]),
            ],
            body: b.body ?? Buffer.from('{}'),
            mustReject: true,
          })),
        ]
      : [
          // A body where none is expected: never a 5xx.
          fc.tuple(valid, fc.constantFrom('application/json', 'text/plain', 'application/xml')).map(([b, type]) => ({
            ...b,
            label: `unexpected ${type} body`,
            headers: [...b.headers, ['Content-Type', type] as [string, string]],
            body: Buffer.from(type === 'application/json' ? '{"unexpected":true}' : '<x/>'),
            mustReject: false,
          })),
        ];

  const pathMutations = pathParams.length
    ? [
        fc.tuple(valid, fc.constantFrom(...pathParams), fc.constantFrom(...BAD_IDS)).map(([b, name, bad]) => {
          const segments = op.path.split('/');
          const at = segments.indexOf(`{${name}}`);
          const actual = b.path.split('/');
          actual[at] = bad;
          // Text no id can hold is refused everywhere; an odd but well-encoded value (0, -1) may name a record.
          return {
            ...b,
            label: `path ${name} = ${bad.slice(0, 40)}`,
            path: actual.join('/'),
            mustReject: UNSTORABLE.test(bad),
          };
        }),
      ]
    : [];

  const queryMutations = [
    fc
      .tuple(
        valid,
        fc.constantFrom(...(queryParams.length ? queryParams : ['limit'])),
        fc.constantFrom(...BAD_QUERY_VALUES),
      )
      .map(([b, name, bad]) => ({
        ...b,
        label: `query ${name} = ${bad.slice(0, 40)}`,
        query: [b.query, `${encodeURIComponent(name)}=${bad}`].filter(Boolean).join('&'),
        // Text PostgreSQL cannot store is refused wherever it appears; other odd values may be ignored.
        mustReject: UNSTORABLE.test(bad),
      })),
    fc
      .tuple(valid, fc.constantFrom('unknown=1', 'a[b]=1', 'limit=1&limit=2', '%=%', '&&&', `${'q'.repeat(2000)}=1`))
      .map(([b, extra]) => ({
        ...b,
        label: `query ${extra.slice(0, 40)}`,
        query: [b.query, extra].filter(Boolean).join('&'),
        mustReject: false,
      })),
  ];

  const headerMutations = [
    fc
      .tuple(
        valid,
        fc.constantFrom(...(headerParams.length ? headerParams : ['X-Fuzz'])),
        fc.constantFrom('bogus', '', 'x'.repeat(8000), 'treatment, operations'),
      )
      .map(([b, name, value]) => ({
        ...b,
        label: `header ${name} = ${value.slice(0, 20)}`,
        headers: [...b.headers.filter(([n]) => n !== name), [name, value] as [string, string]],
        mustReject: false,
      })),
    fc
      .tuple(
        valid,
        fc.constantFrom(
          Buffer.from('a\u0000b'),
          Buffer.from([0x7f]),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from([0xff]),
        ),
      )
      .map(([b, raw]) => ({
        ...b,
        label: `header X-Fuzz bytes ${raw.toString('hex')}`,
        headers: [...b.headers, ['X-Fuzz', raw] as [string, Buffer]],
        // NUL in a header is refused by the HTTP parser; other bytes are obs-text HTTP allows.
        mustReject: raw.includes(0),
      })),
  ];

  const callers: fc.Arbitrary<Caller>[] = [
    fc.constant<Caller>({ kind: 'none' }),
    fc.constant<Caller>({ kind: 'unsigned' }),
    fc.constant<Caller>({ kind: 'other-department' }),
    fc.constantFrom(...roles).map<Caller>((role) => ({ kind: 'role', role })),
    fc
      .constantFrom(
        'Bearer',
        'Bearer abc.def.ghi',
        'Basic Zm9vOmJhcg==',
        `Bearer ${UNSIGNED}`,
        'Bearer ' + 'a'.repeat(9000),
      )
      .map<Caller>((value) => ({ kind: 'garbage', value })),
  ];
  const authMutations = [
    fc.tuple(valid, fc.oneof(...callers)).map(([b, caller]) => ({
      ...b,
      label: `caller ${caller.kind}${caller.kind === 'role' ? ` ${caller.role}` : caller.kind === 'garbage' ? ` ${caller.value.slice(0, 20)}` : ''}`,
      caller,
      mustReject: op.secured && ['none', 'unsigned', 'garbage'].includes(caller.kind),
    })),
  ];

  const methodMutation = fc
    .tuple(valid, fc.constantFrom('DELETE', 'PATCH', 'PUT', 'POST', 'OPTIONS', 'TRACE', 'FUZZ'))
    .map(([b, method]) => ({
      ...b,
      label: `method ${method}`,
      method,
      mustReject: false,
    }));

  return fc.oneof(
    ...bodyMutations,
    ...streamMutations,
    ...contentTypes,
    ...pathMutations,
    ...queryMutations,
    ...headerMutations,
    ...authMutations,
    methodMutation,
  );
}
