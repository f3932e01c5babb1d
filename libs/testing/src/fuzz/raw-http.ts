import { connect } from 'node:net';

/** A request written byte for byte: header values and bodies may hold what no HTTP client library would send. */
export interface RawRequest {
  method: string;
  /** Path and query exactly as they go on the request line (already percent-encoded). */
  target: string;
  headers: [string, string | Buffer][];
  body?: Buffer;
}

/** The response as received. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends one HTTP/1.1 request on its own connection (Connection: close) and reads the whole
 * response; rejects when no complete response arrives within `timeoutMs` (a hang is a finding).
 */
export function sendRaw(url: string, req: RawRequest, timeoutMs = 60_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const head = [`${req.method} ${req.target} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
  const lines: Buffer[] = [Buffer.from(head.join('\r\n') + '\r\n', 'latin1')];
  for (const [name, value] of req.headers) {
    lines.push(
      Buffer.concat([
        Buffer.from(`${name}: `, 'latin1'),
        Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
        Buffer.from('\r\n'),
      ]),
    );
  }
  if (req.body !== undefined) lines.push(Buffer.from(`Content-Length: ${req.body.length}\r\n`, 'latin1'));
  lines.push(Buffer.from('\r\n'));
  if (req.body !== undefined) lines.push(req.body);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    // The server may answer (413, 400) and close before the whole body is written: that is a response, not an error.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const data = Buffer.concat(chunks);
      const split = data.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(new Error(data.length ? 'incomplete response head' : 'connection closed without a response'));
        return;
      }
      const [statusLine, ...headerLines] = data.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body: Buffer = data.subarray(split + 4);
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = decodeChunked(body);
      else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
      resolve({ status, headers, body });
    });
    socket.write(Buffer.concat(lines));
  });
}
