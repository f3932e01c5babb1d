import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentContext } from '@cit/observability';
import {
  ProblemType,
  RequestValidationError,
  toProblem,
  type FieldError,
  type ProblemDetails,
} from './problem-details';
import { requestContextOf } from './request-context.middleware';

/** Why a string is refused, or undefined when PostgreSQL text can hold it as it is. */
export function textDefect(value: string): string | undefined {
  // PostgreSQL text cannot hold U+0000 (the driver's error would be a 500), and a lone
  // surrogate would be silently replaced by U+FFFD on its way to UTF-8.
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!isWellFormed(value)) return 'must not contain an unpaired surrogate (not valid Unicode)';
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(value: string): boolean {
  const native = (value as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(value) : !LONE_SURROGATE.test(value);
}

/**
 * Every string (and object key) of a parsed JSON value that PostgreSQL text cannot store,
 * named by its path as the validation pipe names fields ("subjects.0.name"). Iterative, so a
 * deeply nested body cannot overflow the stack; stops after `max` findings.
 */
export function findTextDefects(value: unknown, root = '', max = 20): FieldError[] {
  const found: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length && found.length < max) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const defect = textDefect(current);
      if (defect) found.push({ field: path || '(body)', detail: defect });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], path ? `${path}.${i}` : String(i)]);
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyDefect = textDefect(key);
        // A bad key is named by where it sits, never echoed.
        if (keyDefect) found.push({ field: path || '(body)', detail: `has a field name that ${keyDefect}` });
        else stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return found;
}

/** Defects of the path: a segment that does not decode to well-formed text names no resource. */
export function pathHasTextDefect(rawPath: string): boolean {
  for (const segment of rawPath.split('/')) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return true;
    }
    if (textDefect(decoded)) return true;
  }
  return false;
}

/**
 * Query parameters whose percent-encoding does not decode to UTF-8 (%FF, an encoded surrogate,
 * a broken escape such as %zz): the query parser would hand the handler the raw escapes as if
 * they were the value. Named by the parameter when its name decodes, never echoed.
 */
export function queryEncodingDefects(rawQuery: string): FieldError[] {
  const found: FieldError[] = [];
  for (const pair of rawQuery.split('&')) {
    if (!pair.includes('%')) continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    if (name !== undefined && value !== undefined) continue;
    // A name that does not decode (or decodes to text the guard refuses) is named by its place only.
    const field = name === undefined || textDefect(name) ? '(query)' : name;
    found.push({ field, detail: 'query parameter is not valid percent-encoded UTF-8' });
  }
  return found;
}

function decodeQueryPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function send(req: FastifyRequest, reply: FastifyReply, problem: ProblemDetails): void {
  const body = {
    ...problem,
    instance: req.url.split('?')[0],
    correlationId: currentContext()?.correlationId ?? requestContextOf(req)?.correlationId,
  };
  void reply.code(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

function isStream(body: unknown): boolean {
  return typeof (body as { pipe?: unknown } | null)?.pipe === 'function';
}

/**
 * Refuses text that cannot be stored before any handler or query sees it: a path that
 * decodes to NUL, an unpaired surrogate or invalid UTF-8 is 404 (no resource has such an
 * id); such characters in a header or query parameter (or a query escape that is not UTF-8)
 * are 400 problem+json naming the field before the body is read, in a JSON body field once it is parsed. Streamed bodies (the
 * import) are checked by their own reader.
 */
export function installTextGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (pathHasTextDefect(req.url.split('?')[0]!)) {
      send(req, reply, {
        type: ProblemType.notFound,
        title: 'Not found',
        status: 404,
        detail: 'No resource has this address.',
      });
      return;
    }
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries(req.headers)) {
      for (const v of Array.isArray(value) ? value : [value ?? '']) {
        const defect = textDefect(v);
        if (defect) errors.push({ field: name, detail: `header ${defect}` });
      }
    }
    const queryAt = req.url.indexOf('?');
    if (queryAt >= 0) errors.push(...queryEncodingDefects(req.url.slice(queryAt + 1)));
    for (const e of findTextDefects(req.query as unknown)) {
      errors.push({ field: e.field === '(body)' ? '(query)' : e.field, detail: `query parameter ${e.detail}` });
    }
    if (errors.length) {
      send(req, reply, toProblem(new RequestValidationError(errors)));
      return;
    }
    done();
  });
  app.addHook('preValidation', (req, reply, done) => {
    if (req.body !== undefined && !isStream(req.body)) {
      const errors = findTextDefects(req.body);
      if (errors.length) {
        send(req, reply, toProblem(new RequestValidationError(errors)));
        return;
      }
    }
    done();
  });
}
