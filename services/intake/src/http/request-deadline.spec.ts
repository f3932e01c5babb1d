import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { installRequestDeadlines, setRequestDeadline } from './request-deadline';

/** Sends headers and part of a body, then stalls; resolves with what the server answered (or '' when it just closed). */
function stall(port: number, path: string, sendRestAfterMs?: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nhello`);
      if (sendRestAfterMs !== undefined) setTimeout(() => socket.write('world'), sendRestAfterMs);
    });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 3000);
  });
}

describe('request deadlines', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      // The "import route" raises its own deadline; every other route keeps the default.
      if (req.url === '/long') setRequestDeadline(req, res, 2000);
      req.resume();
      req.on('end', () => res.writeHead(200, { connection: 'close' }).end('done'));
    });
    installRequestDeadlines(server, 200);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers 408 problem+json to a request that does not arrive whole within the default', async () => {
    const answer = await stall(port, '/short');
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(answer).toContain('application/problem+json');
    expect(server.requestTimeout).toBe(0);
  });

  it('lets the route that raised its deadline take longer than the default', async () => {
    const answer = await stall(port, '/long', 600);
    expect(answer).toMatch(/^HTTP\/1.1 200/);
    expect(answer).toContain('done');
  });

  it('still cuts the long route off at its own deadline', async () => {
    const answer = await stall(port, '/long');
    expect(answer).toMatch(/^HTTP\/1.1 408/);
  }, 10_000);
});
