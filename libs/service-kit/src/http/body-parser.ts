import type { FastifyInstance } from 'fastify';

/** A body size such as 256kb (HTTP_BODY_LIMIT) in bytes. */
export function byteSize(size: string): number {
  const m = /^(\d+)(b|kb|mb)$/.exec(size);
  if (!m) throw new Error(`not a size: ${size}`);
  return Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[m[2] as 'b' | 'kb' | 'mb'];
}

/** A body that is not JSON (toProblem: 400 malformed-json); the parser's own message can quote the body (PHI), so it is dropped. */
export class MalformedJsonError extends Error {
  readonly type = 'entity.parse.failed';
  readonly status = 400;
  constructor() {
    super('malformed JSON body');
  }
}

/** A JSON body labelled with a charset other than UTF-8 (toProblem: 415); JSON between systems is UTF-8 (RFC 8259). */
export class UnsupportedCharsetError extends Error {
  readonly type = 'charset.unsupported';
  readonly status = 415;
  constructor() {
    super('unsupported charset');
  }
}

/** The charset parameter of a Content-Type, lower-cased, when it names one. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * JSON bodies up to the body limit (larger: 413 problem+json before any handler), with
 * Fastify's prototype-poisoning checks; a charset other than UTF-8 is 415; a parse failure becomes MalformedJsonError. Content
 * types in `streamed` are handed to the handler as the unread request stream: the body limit
 * does not apply to them, the route's own caps do.
 */
export function installBodyParsers(app: FastifyInstance, streamed: readonly string[] = []): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    // The body is read as UTF-8 whatever the label says: a body declared UTF-16 or Latin-1
    // would be stored as mojibake, so it is refused rather than misread.
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      return done(new UnsupportedCharsetError(), undefined);
    const text = body.toString();
    if (text === '') return done(null, undefined);
    parseJson(req, text, (err, value) => (err ? done(new MalformedJsonError(), undefined) : done(null, value)));
  });
  if (streamed.length > 0) app.addContentTypeParser([...streamed], (_req, payload, done) => done(null, payload));
}
