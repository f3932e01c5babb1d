import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got; `verified` is the Standard Webhooks check against the path's secret. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are read field by field
  event: any;
}

/**
 * A partner's webhook endpoint: records every request and verifies its signature with the
 * standardwebhooks package (the partner's side of the contract) under the secret registered
 * for that path. Unverifiable deliveries are recorded too, so a test can assert they never come.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const secrets = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const secret = secrets.get(path);
      let verified = false;
      if (secret) {
        try {
          new Webhook(secret).verify(body, {
            'webhook-id': String(req.headers['webhook-id'] ?? ''),
            'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
          });
          verified = true;
        } catch {
          verified = false;
        }
      }
      let event: unknown = undefined;
      try {
        event = JSON.parse(body);
      } catch {
        event = undefined;
      }
      received.push({ path, headers: req.headers, body, verified, event });
      res.statusCode = 204;
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** The whsec_ secret deliveries to this path are verified with. */
    secret: (path: string, secret: string) => secrets.set(path, secret),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
