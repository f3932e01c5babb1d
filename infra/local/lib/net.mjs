// Network probes: TCP, one-shot line/RESP exchanges, HTTP 200, URL helpers.
import net from 'node:net';

/** Resolves true when a TCP connection to host:port opens within timeoutMs. */
export function tcpOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** One request/response exchange on a line or RESP protocol: writes `payload`, resolves with the text until `until` matches. */
export function tcpExchange(host, port, payload, until, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`timeout talking to ${host}:${port}`));
    }, timeoutMs);
    s.once('connect', () => s.write(payload));
    s.on('data', (d) => {
      buf += d.toString('utf8');
      if (until(buf)) {
        clearTimeout(timer);
        s.end();
        s.destroy();
        resolve(buf);
      }
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.once('close', () => {
      clearTimeout(timer);
      if (!until(buf)) reject(new Error(`connection to ${host}:${port} closed`));
    });
  });
}

/** True when GET url answers 200 within timeoutMs. */
export async function httpOk(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return res.status === 200;
  } catch {
    return false;
  }
}

export function isLocalHost(host) {
  return ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host);
}

/** "host:port" → { host, port }. */
export function parseHostPort(hp) {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
}

/** The URL with its password replaced by ***, for printing. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
