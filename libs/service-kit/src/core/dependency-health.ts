import type { HealthResult } from '@cit/observability';

/** What the outbox assessment reads of the relay (OutboxRelayStatus fits). */
export interface OutboxSnapshot {
  leader: boolean;
  backlog: number | null;
  oldestPendingAgeSeconds: number | null;
  setAside: number | null;
  lastPublishAt: Date | null;
  lastError: string | null;
  failingSince: Date | null;
  sendingSince?: Date | null;
}

/** Bounds past which a growing outbox makes the instance not ready (0 = no bound). */
export interface OutboxLimits {
  maxBacklog: number;
  maxAgeSeconds: number;
}

/**
 * The outbox check: ready while the backlog is within its bounds, whatever the broker does
 * (the API keeps accepting into the outbox; the disk is the real limit, the bounds say when
 * to send traffic elsewhere before it fills).
 */
export function assessOutbox(status: OutboxSnapshot, limits: OutboxLimits): HealthResult {
  const detail = {
    leader: status.leader,
    backlog: status.backlog,
    oldestPendingAgeSeconds: status.oldestPendingAgeSeconds === null ? null : round1(status.oldestPendingAgeSeconds),
    setAside: status.setAside,
    lastPublishAt: status.lastPublishAt?.toISOString() ?? null,
    publishFailingSince: status.failingSince?.toISOString() ?? null,
    publishInFlightSince: status.sendingSince?.toISOString() ?? null,
    lastError: status.lastError,
    limits: { maxBacklog: limits.maxBacklog || null, maxAgeSeconds: limits.maxAgeSeconds || null },
  };
  if (status.backlog === null || status.oldestPendingAgeSeconds === null) {
    return { ok: false, error: 'backlog unknown: the database did not answer', detail };
  }
  if (limits.maxBacklog > 0 && status.backlog > limits.maxBacklog) {
    return {
      ok: false,
      error: `backlog of ${status.backlog} rows exceeds OUTBOX_MAX_BACKLOG ${limits.maxBacklog}`,
      detail,
    };
  }
  if (limits.maxAgeSeconds > 0 && status.oldestPendingAgeSeconds > limits.maxAgeSeconds) {
    return {
      ok: false,
      error: `oldest unpublished row is ${Math.round(status.oldestPendingAgeSeconds)} s old, over OUTBOX_MAX_BACKLOG_AGE_SECONDS ${limits.maxAgeSeconds}`,
      detail,
    };
  }
  return { ok: true, detail };
}

/** What the consumer assessment reads (EventConsumer.status() fits). */
export interface ConsumerSnapshot {
  healthy: boolean;
  reason?: string;
  connected: boolean;
  running: boolean;
  startedAt: Date | null;
  lastProgressAt: Date | null;
  lastFetchAt?: Date | null;
  lastHeartbeatAt?: Date | null;
  lag: Record<string, number>;
}

/**
 * The consumer check: healthy (not crashed, not stalled behind) and still hearing from the
 * broker. An idle consumer fetches about every maxWaitTime and heartbeats every few seconds,
 * so silence for `silentAfterMs` means the broker is out of its reach even with no lag.
 */
export function assessConsumer(status: ConsumerSnapshot, now: Date, silentAfterMs: number): HealthResult {
  const lastContact = latest(status.lastFetchAt ?? null, status.lastHeartbeatAt ?? null) ?? status.startedAt;
  const detail = {
    connected: status.connected,
    running: status.running,
    lag: status.lag,
    lastProgressAt: status.lastProgressAt?.toISOString() ?? null,
    lastFetchAt: status.lastFetchAt?.toISOString() ?? null,
    lastHeartbeatAt: status.lastHeartbeatAt?.toISOString() ?? null,
  };
  if (!status.healthy) return { ok: false, error: status.reason ?? 'unhealthy', detail };
  if (lastContact && now.getTime() - lastContact.getTime() > silentAfterMs) {
    const seconds = Math.round((now.getTime() - lastContact.getTime()) / 1000);
    return { ok: false, error: `no fetch or heartbeat answered for ${seconds} s`, detail };
  }
  return { ok: true, detail };
}

/** Last outcome of a broker probe and the times around it. */
export interface BrokerProbeSnapshot {
  reachable: boolean;
  checkedAt: Date;
  brokers?: number;
  error?: string;
  lastReachableAt: Date | null;
  unreachableSince: Date | null;
}

/** The broker check: the cluster answered a metadata request just now. */
export function assessBroker(probe: BrokerProbeSnapshot): HealthResult {
  const detail = {
    reachable: probe.reachable,
    brokers: probe.brokers ?? null,
    checkedAt: probe.checkedAt.toISOString(),
    lastReachableAt: probe.lastReachableAt?.toISOString() ?? null,
    unreachableSince: probe.unreachableSince?.toISOString() ?? null,
  };
  return probe.reachable ? { ok: true, detail } : { ok: false, error: probe.error ?? 'unreachable', detail };
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
