/** The fixed window `now` falls in: its index (a key suffix) and the whole seconds until it ends (Retry-After). */
export function fixedWindow(nowMs: number, windowSeconds: number): { index: number; retryAfterSeconds: number } {
  const windowMs = windowSeconds * 1000;
  const index = Math.floor(nowMs / windowMs);
  const endsAt = (index + 1) * windowMs;
  return { index, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - nowMs) / 1000)) };
}

/** Whether a counter just incremented to `count` is still within `limit`. */
export function withinLimit(count: number, limit: number): boolean {
  return count <= limit;
}
