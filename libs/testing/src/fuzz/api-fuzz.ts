import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import {
  DEFAULT_VOLATILE_COLUMNS,
  snapshotDiff,
  snapshotQuery,
  takeSnapshot,
  type DbSnapshot,
  type SqlRunner,
} from './db-snapshot';
import { malformedCase, type BodyValidator } from './malformed-arbitraries';
import { operationsOf, refResolver, type ApiOperation, type OpenApiDocument } from './openapi-operations';
import { documentedExample, IdPool, validCase, type Caller, type FuzzCase } from './request-arbitraries';
import { sendRaw, type RawResponse } from './raw-http';

/** The claims of a test token (the dev issuer's options). */
export interface FuzzTokenClaims {
  roles?: string[];
  department: string;
  agency?: string;
}

/** A running service to fuzz. */
export interface FuzzTarget {
  service: string;
  /** Base URL of the listening app. */
  url: string;
  /** Runs SQL on the service's database as a role that sees every row (the test database's owner). */
  db: SqlRunner;
  /** Every role a token can carry (staff roles and partner). */
  roles: readonly string[];
  /** Issues a token signed by the issuer the app trusts. */
  token(claims: FuzzTokenClaims): Promise<string>;
}

/** Budget and reproduction of a run. */
export interface FuzzOptions {
  /** Base seed; each operation's seed derives from it and the operation, so adding operations changes no other's sequence. */
  seed: number;
  /** Malformed requests per operation. */
  malformedRuns: number;
  /** Valid requests per operation. */
  validRuns: number;
  /** Only operations whose key contains this text (reproducing one failure). */
  only?: string;
  /** Table columns background work changes by itself, left out of the snapshot hash. */
  volatileColumns?: Record<string, string[]>;
  /** Extra valid requests for an operation none of whose valid requests succeeded (default 12). */
  retryRuns?: number;
  /** Time limit per property including shrinking, after which it stops (and reports what it found). */
  propertyTimeLimitMs?: number;
}

/** What happened to one operation. */
export interface OperationReport {
  key: string;
  seed: number;
  validRuns: number;
  malformedRuns: number;
  /** Response status counts of the valid requests. */
  validStatuses: Record<number, number>;
  malformedStatuses: Record<number, number>;
  /** The first problem detail seen per status of a valid request: why the documented input was refused. */
  validRefusals: Record<number, string>;
}

/** One property that failed, with the smallest request fast-check shrank it to. */
export interface FuzzFailure {
  operation: string;
  property: 'valid' | 'malformed';
  reason: string;
  request: string;
  seed: number;
  counterexamplePath?: string;
}

/** The outcome of fuzzing one service. */
export interface FuzzReport {
  service: string;
  seed: number;
  operations: OperationReport[];
  failures: FuzzFailure[];
  /** Operations none of whose valid requests succeeded: each needs state the fuzzer could not create. */
  neverSucceeded: string[];
  requests: number;
  /** Malformed requests sent, by kind of mutation (body, path, query, header, caller, content, method, streamed). */
  mutations: Record<string, number>;
  durationMs: number;
}

/** The seed of this build: FUZZ_SEED when set (reproduction), else derived from the commit being tested. */
export function buildSeed(env: NodeJS.ProcessEnv, commit: string | undefined): number {
  if (env.FUZZ_SEED && /^-?\d+$/.test(env.FUZZ_SEED)) return Number(env.FUZZ_SEED);
  return createHash('sha256')
    .update(commit ?? 'no-commit')
    .digest()
    .readInt32BE(0);
}

function derivedSeed(seed: number, ...parts: string[]): number {
  return createHash('sha256')
    .update([String(seed), ...parts].join('\u0001'))
    .digest()
    .readInt32BE(0);
}

class Finding extends Error {}

function ajvValidator(op: ApiOperation, doc: OpenApiDocument): BodyValidator {
  const body = op.bodies.find((b) => b.contentType === 'application/json');
  if (!body) return () => undefined;
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  if (doc.components?.schemas) ajv.addSchema({ components: { schemas: doc.components.schemas } }, 'doc');
  try {
    const schema = JSON.parse(JSON.stringify(body.schema).replace(/"#\/components\//g, '"doc#/components/')) as object;
    const validate = ajv.compile(schema);
    return (value) => (value === undefined ? false : validate(value));
  } catch {
    return () => undefined;
  }
}

function describeCase(c: FuzzCase): string {
  const body = c.body
    ? c.body.subarray(0, 300).toString('utf8') + (c.body.length > 300 ? `… (${c.body.length} bytes)` : '')
    : '';
  const target = `${c.path}${c.query ? `?${c.query.slice(0, 200)}` : ''}`;
  const headers = c.headers
    .map(([n, v]) => `${n}: ${Buffer.isBuffer(v) ? `<${v.toString('hex')}>` : v.slice(0, 60)}`)
    .join(' | ');
  return `[${c.label}] ${c.method} ${target.slice(0, 300)} as ${c.caller.kind}${c.caller.kind === 'role' ? `:${c.caller.role}` : ''}${headers ? ` {${headers}}` : ''}${body ? ` body=${body}` : ''}`;
}

function problemDetail(res: RawResponse): string {
  try {
    const p = JSON.parse(res.body.toString('utf8')) as { title?: string; detail?: string };
    return (p.detail ?? p.title ?? '').slice(0, 300);
  } catch {
    return res.body.subarray(0, 100).toString('utf8');
  }
}

/** Checks a response's form: never a 5xx, every 4xx problem+json with type, title and its status. */
function formProblem(res: RawResponse): string | undefined {
  if (res.status >= 500) return `answered ${res.status}: ${res.body.subarray(0, 300).toString('utf8')}`;
  if (res.status < 400) return undefined;
  const type = res.headers['content-type'] ?? '';
  if (!type.startsWith('application/problem+json'))
    return `${res.status} with content type "${type}" instead of application/problem+json`;
  let problem: { type?: unknown; title?: unknown; status?: unknown };
  try {
    problem = JSON.parse(res.body.toString('utf8')) as typeof problem;
  } catch {
    return `${res.status} problem+json body is not JSON`;
  }
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== res.status) {
    return `${res.status} problem lacks type/title/status: ${res.body.subarray(0, 200).toString('utf8')}`;
  }
  return undefined;
}

/**
 * Fuzzes every operation of a service's /docs-json with fast-check: valid requests generated
 * from the documented schemas and malformed variants of them. Asserts no 5xx, problem+json on
 * every 4xx, no database change on any rejected request, and no 2xx for a request no
 * service may accept. Returns what it found instead of throwing, for one readable report.
 */
export async function fuzzApi(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const docRes = await fetch(`${target.url}/docs-json`);
  const doc = (await docRes.json()) as OpenApiDocument;
  const resolve = refResolver(doc);
  // Collections and creations first: they fill the id pool that later operations' paths draw from.
  const rank = (op: ApiOperation) => (op.path.includes('{') ? 2 : op.method === 'POST' || op.method === 'PUT' ? 0 : 1);
  const operations = operationsOf(doc)
    .filter((op) => !options.only || op.key.includes(options.only))
    .sort((a, b) => rank(a) - rank(b));
  const pool = new IdPool();
  const snapshotSql = await snapshotQuery(target.db, options.volatileColumns ?? DEFAULT_VOLATILE_COLUMNS);
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (key: string, claims: FuzzTokenClaims) => {
    if (!tokens.has(key)) tokens.set(key, target.token(claims));
    return tokens.get(key)!;
  };
  const staffRoles = target.roles.filter((r) => r !== 'partner');
  const authorization = async (caller: Caller): Promise<string | undefined> => {
    switch (caller.kind) {
      case 'staff':
        return `Bearer ${await tokenFor('staff', { roles: staffRoles, department: 'dept-a' })}`;
      case 'partner':
        return `Bearer ${await tokenFor('partner', { department: 'dept-a', agency: 'agency-fuzz' })}`;
      case 'role':
        return `Bearer ${await (caller.role === 'partner'
          ? tokenFor('partner', { department: 'dept-a', agency: 'agency-fuzz' })
          : tokenFor(`role:${caller.role}`, { roles: [caller.role], department: 'dept-a' }))}`;
      case 'other-department':
        return `Bearer ${await tokenFor('dept-b', { roles: staffRoles, department: 'dept-b' })}`;
      case 'garbage':
        return caller.value;
      case 'unsigned':
        return `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["admin"],"department_id":"dept-a"}').toString('base64url')}.`;
      default:
        return undefined;
    }
  };
  let requests = 0;
  const mutations: Record<string, number> = {};
  const send = async (c: FuzzCase): Promise<RawResponse> => {
    const auth = await authorization(c.caller);
    requests++;
    return sendRaw(target.url, {
      method: c.method,
      target: c.query ? `${c.path}?${c.query}` : c.path,
      headers: [
        ...(auth ? [['Authorization', auth] as [string, string]] : []),
        ['Accept', 'application/json'],
        ...c.headers,
      ],
      body: c.body,
    });
  };
  let baseline: DbSnapshot = await takeSnapshot(target.db, snapshotSql);
  // After an accepted request the service may still be writing (the relay, audit): wait until two snapshots agree.
  const settle = async () => {
    let previous = await takeSnapshot(target.db, snapshotSql);
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const next = await takeSnapshot(target.db, snapshotSql);
      if (snapshotDiff(previous, next).length === 0) return next;
      previous = next;
    }
    return previous;
  };
  const check = async (c: FuzzCase, res: RawResponse, statuses: Record<number, number>, path: string) => {
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const form = formProblem(res);
    if (res.status >= 400 && res.status < 500) {
      const after = await takeSnapshot(target.db, snapshotSql);
      const changed = snapshotDiff(baseline, after);
      baseline = after;
      if (form) throw new Finding(form);
      if (changed.length)
        throw new Finding(`rejected with ${res.status} but changed the database: ${changed.join(', ')}`);
      return;
    }
    // Accepted (or failed): whatever it wrote becomes the baseline before any finding is raised,
    // so the next request (a shrinking step too) is judged on its own writes only.
    if (res.status < 300 && /json/.test(res.headers['content-type'] ?? '')) {
      try {
        pool.harvest(JSON.parse(res.body.toString('utf8')), path);
      } catch {
        // A 2xx that is not JSON carries no ids.
      }
    }
    baseline = await settle();
    if (form) throw new Finding(form);
    if (c.mustReject) throw new Finding(`accepted (${res.status}) a request no service may accept`);
  };

  const reports: OperationReport[] = [];
  const failures: FuzzFailure[] = [];
  for (const op of operations) {
    const seed = derivedSeed(options.seed, target.service, op.key);
    const report: OperationReport = {
      key: op.key,
      seed,
      validRuns: 0,
      malformedRuns: 0,
      validStatuses: {},
      malformedStatuses: {},
      validRefusals: {},
    };
    reports.push(report);
    const isValidBody = ajvValidator(op, doc);
    const attempt = async (property: 'valid' | 'malformed', c: FuzzCase) => {
      const statuses = property === 'valid' ? report.validStatuses : report.malformedStatuses;
      if (property === 'valid') report.validRuns++;
      else {
        report.malformedRuns++;
        const kind = c.label.split(/[ :]/)[0]!;
        mutations[kind] = (mutations[kind] ?? 0) + 1;
      }
      let res: RawResponse;
      try {
        res = await send(c);
        // Where a staff token is refused, the operation may be a partner's: the same request as one.
        if (property === 'valid' && res.status === 403 && c.caller.kind === 'staff') {
          await check(c, res, statuses, c.path);
          res = await send({ ...c, caller: { kind: 'partner' } });
        }
      } catch (err) {
        throw new Finding(`no response: ${(err as Error).message}`);
      }
      if (property === 'valid' && res.status >= 400 && !report.validRefusals[res.status]) {
        report.validRefusals[res.status] = `${problemDetail(res)} ← ${describeCase(c).slice(0, 400)}`;
      }
      await check(c, res, statuses, c.path);
    };
    const fail = (
      property: 'valid' | 'malformed',
      error: unknown,
      c: FuzzCase | undefined,
      seedUsed: number,
      path?: string,
    ) =>
      failures.push({
        operation: op.key,
        property,
        reason: error instanceof Error ? error.message : String(error),
        request: c ? describeCase(c) : '(none)',
        seed: seedUsed,
        counterexamplePath: path,
      });
    const run = async (
      property: 'valid' | 'malformed',
      arb: fc.Arbitrary<FuzzCase>,
      numRuns: number,
      label: string,
    ) => {
      const details = await fc.check(
        fc.asyncProperty(arb, (c) => attempt(property, c)),
        {
          seed: derivedSeed(seed, label),
          numRuns,
          interruptAfterTimeLimit: options.propertyTimeLimitMs ?? 60_000,
          markInterruptAsFailure: false,
        },
      );
      if (details.failed) {
        fail(
          property,
          details.errorInstance,
          details.counterexample?.[0],
          details.seed,
          details.counterexamplePath ?? undefined,
        );
      }
    };
    const succeeded = () => Object.keys(report.validStatuses).some((s) => Number(s) >= 200 && Number(s) < 300);
    // The arbitraries read the id pool when built: valid requests see what earlier operations created.
    // First the request most likely to succeed (the documented example on the latest ids), once.
    await run('valid', validCase(op, resolve, pool, { example: documentedExample(op) }), 1, 'example');
    await run('valid', validCase(op, resolve, pool), options.validRuns, 'valid');
    // None succeeded yet: a few more until one does, so a rare success does not depend on the seed.
    if (!succeeded() && !failures.some((f) => f.operation === op.key)) {
      const retrySeed = derivedSeed(seed, 'retry');
      for (const c of fc.sample(validCase(op, resolve, pool), { seed: retrySeed, numRuns: options.retryRuns ?? 12 })) {
        try {
          await attempt('valid', c);
        } catch (err) {
          fail('valid', err, c, retrySeed);
          break;
        }
        if (succeeded()) break;
      }
    }
    // Every role alone, and no token, on one valid request: what each may do is the service's
    // rule, but none of them may meet a 5xx, a bare error or a write behind a refusal.
    const [base] = fc.sample(validCase(op, resolve, pool), { seed: derivedSeed(seed, 'roles'), numRuns: 1 });
    const sweep: Caller[] = [...target.roles.map((role): Caller => ({ kind: 'role', role })), { kind: 'none' }];
    for (const caller of base ? sweep : []) {
      const c: FuzzCase = {
        ...base!,
        label: `caller ${caller.kind === 'role' ? caller.role : caller.kind} (every role)`,
        caller,
        mustReject: op.secured && caller.kind === 'none',
      };
      try {
        await attempt('malformed', c);
      } catch (err) {
        fail('malformed', err, c, seed);
        break;
      }
    }
    await run(
      'malformed',
      malformedCase(op, validCase(op, resolve, pool), target.roles, isValidBody),
      options.malformedRuns,
      'malformed',
    );
  }
  const neverSucceeded = reports
    .filter((r) => !Object.keys(r.validStatuses).some((status) => Number(status) >= 200 && Number(status) < 300))
    .map((r) => r.key);
  return {
    service: target.service,
    seed: options.seed,
    operations: reports,
    failures,
    neverSucceeded,
    requests,
    mutations,
    durationMs: Date.now() - started,
  };
}

/** A plain-text table of a report: per operation the runs and the statuses seen, then each failure with how to reproduce it. */
export function formatReport(report: FuzzReport, verbose = false): string {
  const statuses = (s: Record<number, number>) =>
    Object.entries(s)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
  const lines = [
    `API fuzz ${report.service}: ${report.operations.length} operations, ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s, seed ${report.seed} (FUZZ_SEED=${report.seed} to repeat)`,
    `  malformed by kind: ${Object.entries(report.mutations)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    ...report.operations.flatMap((o) => [
      `  ${o.key.padEnd(60)} valid ${o.validRuns}: ${statuses(o.validStatuses)} | malformed ${o.malformedRuns}: ${statuses(o.malformedStatuses)}`,
      ...(verbose ? Object.entries(o.validRefusals).map(([status, why]) => `      valid → ${status}: ${why}`) : []),
    ]),
  ];
  if (report.neverSucceeded.length)
    lines.push(`  no valid request succeeded (state needed): ${report.neverSucceeded.join(', ')}`);
  for (const f of report.failures) {
    lines.push(
      `  FAIL ${f.operation} (${f.property}): ${f.reason}`,
      `       ${f.request}`,
      `       FUZZ_SEED=${report.seed} FUZZ_ONLY="${f.operation}" (property seed ${f.seed}, path ${f.counterexamplePath ?? '-'})`,
    );
  }
  return lines.join('\n');
}

/**
 * Operations that should have succeeded but did not (no valid request got a 2xx and the
 * service does not list the state it needs), and listed operations the document no longer has.
 */
export function unexplainedFailuresToSucceed(report: FuzzReport, needsState: Record<string, string>): string[] {
  const known = new Set(report.operations.map((o) => o.key));
  return [
    ...report.neverSucceeded.filter((key) => !(key in needsState)).map((key) => `${key}: no valid request succeeded`),
    ...Object.keys(needsState)
      .filter((key) => !known.has(key) && report.operations.length > 1)
      .map((key) => `${key}: listed as needing state but not in /docs-json`),
  ];
}
