/** Messages still to read on a partition after `offset` was processed (never negative). */
export function partitionLag(highWatermark: string, offset: string): number {
  const lag = BigInt(highWatermark) - BigInt(offset) - 1n;
  return lag > 0n ? Number(lag) : 0;
}

/** What readiness needs to know about a consumer. */
export interface ConsumerStatus {
  /** Joined its group and holding a broker connection. */
  connected: boolean;
  running: boolean;
  startedAt: Date | null;
  /** Last time a message was finished (processed, skipped as duplicate, ignored or dead-lettered). */
  lastProgressAt: Date | null;
  /** Last fetch the broker answered (empty fetches included): the broker is reachable for this consumer. */
  lastFetchAt?: Date | null;
  /** Last heartbeat the group coordinator accepted. */
  lastHeartbeatAt?: Date | null;
  /** Lag per "topic/partition". */
  lag: Record<string, number>;
  /** Set when kafkajs crashed without restarting: the consumer will not recover by itself. */
  crashed?: { name: string; message: string };
}

/**
 * Healthy unless crashed, stopped, or behind with no progress for `stallAfterMs` — a consumer
 * that stopped consuming must not look healthy just because its process is alive.
 */
export function assessConsumerHealth(
  status: ConsumerStatus,
  now: Date,
  stallAfterMs: number,
): { healthy: boolean; reason?: string } {
  if (status.crashed) return { healthy: false, reason: `crashed: ${status.crashed.message}` };
  if (!status.running) return { healthy: false, reason: 'not running' };
  const behind = Object.values(status.lag).reduce((sum, n) => sum + n, 0);
  if (behind === 0) return { healthy: true };
  const since = status.lastProgressAt ?? status.startedAt;
  if (!since || now.getTime() - since.getTime() > stallAfterMs) {
    return { healthy: false, reason: `lag ${behind} with no progress for over ${stallAfterMs} ms` };
  }
  return { healthy: true };
}
