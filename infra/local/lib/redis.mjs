// Redis: reuse one that answers PING (a few lines of RESP, no client library before npm ci),
// else install and start Debian's redis-server (local URLs only).
import path from 'node:path';
import { aptInstall } from './apt.mjs';
import { fail, info } from './log.mjs';
import { isLocalHost, tcpExchange, tcpOpen } from './net.mjs';
import { DEFAULT_REDIS_URL, DIR } from './paths.mjs';
import { runLogged, sleep } from './process.mjs';

/** True when Redis at url answers PING with PONG (after AUTH when the URL has a password). */
export async function redisPingOk(url) {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const user = decodeURIComponent(u.username || '');
  const pass = decodeURIComponent(u.password || '');
  const resp = (...args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  let payload = '';
  let replies = 1;
  if (pass) {
    payload += user ? resp('AUTH', user, pass) : resp('AUTH', pass);
    replies++;
  }
  payload += resp('PING');
  try {
    const out = await tcpExchange(host, port, payload, (b) => b.split('\r\n').length > replies, 2000);
    return out.split('\r\n')[replies - 1] === '+PONG';
  } catch {
    return false;
  }
}

/** Redis at REDIS_URL (default local): { url, state: 'reused' | 'started' }. */
export async function ensureRedis() {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if (await redisPingOk(url)) return { url, state: 'reused' };
  const u = new URL(url);
  if (!isLocalHost(u.hostname)) fail(`Redis at ${u.host} (REDIS_URL) does not answer PING`);
  const port = Number(u.port || 6379);
  if (await tcpOpen('127.0.0.1', port)) fail(`port ${port} is open but does not answer Redis PING (another program?)`);
  info('Redis not reachable: installing/starting it from Debian packages');
  aptInstall(['redis-server']);
  const log = path.join(DIR.logs, 'redis-setup.log');
  const args = [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--logfile',
    path.join(DIR.logs, 'redis.log'),
  ];
  if (u.password) args.push('--requirepass', decodeURIComponent(u.password));
  runLogged('redis-server', args, log);
  for (let i = 0; i < 40; i++) {
    if (await redisPingOk(url)) return { url, state: 'started' };
    await sleep(250);
  }
  fail(`Redis did not become ready at ${url}. See .local/logs/redis.log`);
}
