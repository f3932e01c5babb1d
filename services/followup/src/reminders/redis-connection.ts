import type { RedisOptions } from 'ioredis';

/**
 * Connection options BullMQ opens (and closes) itself: maxRetriesPerRequest null, so blocking
 * commands wait out a reconnect instead of failing the worker.
 */
export function bullConnection(url: string, name: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number(u.pathname.replace('/', '') || 0),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    connectionName: name,
  };
}
