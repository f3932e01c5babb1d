/**
 * kafkajs 2.2.4 re-arms a 1 ms timer forever in every RequestQueue with nothing pending
 * (tulios/kafkajs#1556, #1704): each idle broker connection wakes the event loop a thousand
 * times a second, in every service. kafkajs has had no release since, so the fix proposed
 * upstream is applied here, behind the messaging lib: do not schedule a pending-request
 * check when nothing is pending and nothing is throttled.
 */
interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
}

/** Applies the upstream RequestQueue fix once per process. */
export function patchKafkajsRequestQueue(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs does not export the class
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: Record<string, unknown> };
  const proto = RequestQueue.prototype as {
    scheduleCheckPendingRequests(this: RequestQueueState): void;
    __citPatched?: boolean;
  };
  if (proto.__citPatched) return;
  const original = proto.scheduleCheckPendingRequests;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueState) {
    if (!this.throttleCheckTimeoutId && this.pending.length === 0 && this.throttledUntil - Date.now() <= 0) return;
    original.call(this);
  };
  proto.__citPatched = true;
}
