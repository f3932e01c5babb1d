import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';

describe('infra/kafka/make-certs.sh', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'cit-kafka-certs-')), 'certs');
  let server: Server;

  beforeAll(() => {
    const r = spawnSync('sh', [join(__dirname, 'make-certs.sh'), '--out', out], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`make-certs.sh failed: ${r.stderr}`);
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('writes a CA and a broker PEM keystore (key first, then the chain), the keys not readable by others', () => {
    const keystore = readFileSync(join(out, 'kafka.keystore.pem'), 'utf8');
    expect(keystore.indexOf('-----BEGIN PRIVATE KEY-----')).toBe(0);
    expect(keystore.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(statSync(join(out, 'kafka.keystore.pem')).mode & 0o007).toBe(0);
    expect(statSync(join(out, 'ca.key')).mode & 0o077).toBe(0);
  });

  it.each(['kafka', 'localhost'])(
    'serves TLS that a client trusting only ca.pem accepts for %s',
    async (servername) => {
      const keystore = readFileSync(join(out, 'kafka.keystore.pem'), 'utf8');
      server = createServer({ key: keystore, cert: keystore.slice(keystore.indexOf('-----BEGIN CERTIFICATE')) }, (s) =>
        s.end('ok'),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername, ca: readFileSync(join(out, 'ca.pem')) }, () =>
          socket.once('data', (d) => resolve(String(d))),
        );
        socket.once('error', reject);
      });
      expect(answer).toBe('ok');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  );

  it('keeps existing certificates unless --force', () => {
    const before = readFileSync(join(out, 'ca.pem'), 'utf8');
    const r = spawnSync('sh', [join(__dirname, 'make-certs.sh'), '--out', out], { encoding: 'utf8' });
    expect(r.stdout).toContain('already holds certificates');
    expect(readFileSync(join(out, 'ca.pem'), 'utf8')).toBe(before);
  });
});
