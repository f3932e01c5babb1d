import type { KafkaClient } from '@cit/messaging';
import type { Admin } from 'kafkajs';
import type { BrokerProbeSnapshot } from './dependency-health';

/** Options of BrokerProbe. */
export interface BrokerProbeOptions {
  /** A probe that has not answered by then counts as unreachable (default 2000 ms). */
  timeoutMs?: number;
  /** A result younger than this is reused, so probes and scrapes cost one request at most that often (default 2000 ms). */
  maxAgeMs?: number;
}

/**
 * Asks the cluster for its metadata (one small request on an admin connection) to tell
 * whether the broker is reachable now. The producer's connected flag cannot: with no
 * traffic it stays true through a whole outage.
 */
export class BrokerProbe {
  private admin: Admin | null = null;
  private inFlight: Promise<BrokerProbeSnapshot> | null = null;
  private last: BrokerProbeSnapshot | null = null;
  private lastReachableAt: Date | null = null;
  private unreachableSince: Date | null = null;
  private readonly timeoutMs: number;
  private readonly maxAgeMs: number;
  private closed = false;

  constructor(
    private readonly kafka: KafkaClient,
    options: BrokerProbeOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.maxAgeMs = options.maxAgeMs ?? 2000;
  }

  /** The latest probe result, probing again when the last is older than maxAgeMs; concurrent callers share one probe. */
  async probe(): Promise<BrokerProbeSnapshot> {
    if (this.last && Date.now() - this.last.checkedAt.getTime() < this.maxAgeMs) return this.last;
    this.inFlight ??= this.run().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Disconnects the probe's admin connection. */
  async close(): Promise<void> {
    this.closed = true;
    await this.dropAdmin();
  }

  private async run(): Promise<BrokerProbeSnapshot> {
    const checkedAt = new Date();
    let outcome: { reachable: true; brokers: number } | { reachable: false; error: string };
    try {
      outcome = { reachable: true, brokers: await this.withTimeout(this.describe()) };
    } catch (err) {
      outcome = { reachable: false, error: probeError(err) };
      // A half-dead connection would keep timing out: the next probe starts from a fresh one.
      void this.dropAdmin();
    }
    if (outcome.reachable) {
      this.lastReachableAt = checkedAt;
      this.unreachableSince = null;
    } else {
      this.unreachableSince ??= checkedAt;
    }
    this.last = {
      ...outcome,
      checkedAt,
      lastReachableAt: this.lastReachableAt,
      unreachableSince: this.unreachableSince,
    };
    return this.last;
  }

  private async describe(): Promise<number> {
    if (this.closed) throw new Error('probe closed');
    if (!this.admin) {
      // No retries of its own: the probe answers for this moment, the next probe tries again.
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      this.admin = admin;
      await admin.connect();
    }
    const cluster = await this.admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster listed no brokers');
    return cluster.brokers.length;
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    // The abandoned request may still fail later; nobody waits for it.
    work.catch(() => undefined);
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}

/** The error's class and message (kafkajs names the broker address, which ops need; this detail is ops-only). */
function probeError(err: unknown): string {
  if (err instanceof TypeError) return 'no broker answered the metadata request';
  if (err instanceof Error) return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}
