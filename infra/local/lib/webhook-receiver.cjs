/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module: require is how it imports */
// A local partner endpoint for Standard Webhooks: what a partner agency runs to receive referrals
// (and follow-up notifications), here so the demo and the walkthrough can watch deliveries arrive.
// Every delivery is verified with the `standardwebhooks` package and the secret(s) of its source;
// the deliveries (verified or not, without payload values) are listed at GET /deliveries.
'use strict';
// CommonJS so that the .mjs commands, the bench and the jest specs load the same module.
const http = require('node:http');
const { Webhook } = require('standardwebhooks');

const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_KEEP = 10_000;

/**
 * What a delivery says about itself, without disclosure values (ciphertexts or not, they stay out
 * of the list): a referral CloudEvent (ids in `data`) or a follow-up notification (flat ids and codes).
 */
function summarize(body) {
  const event = body && typeof body === 'object' ? body : {};
  const data = event.data && typeof event.data === 'object' ? event.data : event;
  const out = { type: event.type };
  if (event.specversion) {
    out.eventId = event.id;
    out.subject = event.subject;
    out.correlationId = event.correlationid;
    out.departmentId = event.departmentid;
  }
  for (const key of [
    'referralId',
    'agencyId',
    'status',
    'urgency',
    'legalBasis',
    'attempt',
    'from',
    'to',
    'changedBy',
    'outcome',
    'reminderId',
    'kind',
    'dueAt',
    'late',
    'caseId',
    'sessionId',
    'mouId',
  ])
    if (data[key] !== undefined) out[key] = data[key];
  if (data.disclosure?.fields) out.disclosedFields = data.disclosure.fields;
  return out;
}

/** Standard Webhooks verification against each secret in turn (a rotation leaves two valid ones). */
function verifyDelivery(secrets, body, headers) {
  let lastError = 'no secret configured for this path';
  for (const secret of secrets) {
    try {
      return { verified: true, event: new Webhook(secret).verify(body, headers) };
    } catch (err) {
      lastError = err.message;
    }
  }
  return { verified: false, error: lastError };
}

/**
 * Starts the receiver. POST /webhooks/<source>[/<anything>] is verified with `secretsFor(source)`
 * (an array of whsec_ secrets); 204 when verified, 401 otherwise. GET /deliveries[?source=&verified=]
 * lists them oldest first. `onDelivery(record)` sees each one as it arrives (the bench uses it).
 * Resolves { port, url(source, rest?), deliveries, close() }.
 */
function startWebhookReceiver({
  port = 0,
  host = '127.0.0.1',
  secretsFor = () => [],
  onDelivery,
  keep = DEFAULT_KEEP,
} = {}) {
  const deliveries = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const reply = (status, body) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body, null, 2) + '\n');
    };
    if (req.method === 'GET' && url.pathname === '/health') return reply(200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/deliveries') {
      const source = url.searchParams.get('source');
      const verified = url.searchParams.get('verified');
      const items = deliveries.filter(
        (d) => (!source || d.source === source) && (verified === null || String(d.verified) === verified),
      );
      return reply(200, { count: items.length, items });
    }
    const m = /^\/webhooks\/([a-z0-9-]{1,63})(?:\/([a-z0-9-]{1,63}))?$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return reply(404, { title: 'Not found' });
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      const source = m[1];
      const check = verifyDelivery(secretsFor(source, m[2]) ?? [], body, headers);
      const record = {
        seq: ++seq,
        receivedAt: new Date().toISOString(),
        source,
        target: m[2] ?? null,
        webhookId: headers['webhook-id'],
        verified: check.verified,
        ...(check.verified ? summarize(check.event) : { error: check.error }),
      };
      deliveries.push(record);
      if (deliveries.length > keep) deliveries.splice(0, deliveries.length - keep);
      onDelivery?.(record, check.verified ? check.event : undefined);
      reply(check.verified ? 204 : 401, check.verified ? undefined : { title: 'Signature not verified' });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = server.address().port;
      resolve({
        port: bound,
        url: (source, rest) => `http://${host}:${bound}/webhooks/${source}${rest ? `/${rest}` : ''}`,
        deliveries,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

module.exports = { startWebhookReceiver, verifyDelivery };
