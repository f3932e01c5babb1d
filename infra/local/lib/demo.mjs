// The demo department's call history, sent through the intake API like any import.
import fs from 'node:fs';
import { issueToken } from './dev-issuer.mjs';
import { info, warn } from './log.mjs';
import { FILES } from './paths.mjs';

const SOCKET_CLOSED = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/**
 * Bulk import with events, so the history flows on to triage like any report. CAD numbers make a
 * re-run a no-op.
 */
export async function seedDemoIncidents(env, port) {
  if (!fs.existsSync(FILES.demoIncidents) || !fs.existsSync(FILES.tokenCli)) return;
  const { token } = issueToken(env, 'admin', 'demo');
  if (!token) return warn('demo incidents not seeded: no admin token');
  const post = () =>
    fetch(`http://127.0.0.1:${port}/v1/imports?format=ndjson&emitEvents=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body: fs.readFileSync(FILES.demoIncidents),
    });
  try {
    // The readiness polls leave a pooled keep-alive connection that the service may close just as
    // it is reused; the import is idempotent (CAD numbers), so one more attempt is safe.
    const res = await post().catch((err) => (SOCKET_CLOSED.has(err.cause?.code) ? post() : Promise.reject(err)));
    const summary = await res.json();
    if (res.ok)
      info(
        `demo incidents: ${summary.rowsImported} imported, ${summary.rowsDuplicate} already there (import ${summary.importId})`,
      );
    else warn(`demo incidents not seeded: HTTP ${res.status} ${summary.title ?? ''}`);
  } catch (err) {
    warn(`demo incidents not seeded: ${err.message}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ''}`);
  }
}
