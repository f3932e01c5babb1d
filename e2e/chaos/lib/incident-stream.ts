/**
 * A steady stream of incidents POSTed to intake, each a new person with its own CAD call number.
 * A request that fails (intake killed, database restarting) is sent again with the same CAD number
 * until intake answers with the incident: the CAD number makes the retry the same incident, so
 * the stream ends with exactly one id per incident sent, whatever happened to the responses.
 */
import { createIncidentExample } from '@cit/contracts';

export interface IncidentStream {
  /** Stops sending new incidents and waits (at most deadlineMs) until every one sent has its id. */
  stop(deadlineMs?: number): Promise<string[]>;
  /** Statuses intake answered, counted (0: no answer). */
  statuses(): Record<string, number>;
  sent(): number;
}

/** Starts sending `perSecond` incidents a second to intakeUrl(); the URL is read per request (intake may move). */
export function startIncidentStream(opts: {
  intakeUrl: () => string;
  token: string;
  perSecond: number;
  label: string;
}): IncidentStream {
  const ids: string[] = [];
  const statuses: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let seq = 0;
  let stopped = false;
  let lastFailure = '';

  const sendOne = async (n: number) => {
    const cad = `CHAOS-${opts.label}-${n}`;
    const body = JSON.stringify({
      ...createIncidentExample,
      externalIds: { cadCallNumber: cad },
      // A new person each time (no phone to match on): the same rules fire for every incident.
      subjects: [
        { name: `Rowan Chaos${opts.label}x${n}`, dateOfBirth: '1984-05-06', language: 'en', flags: { veteran: true } },
      ],
    });
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      try {
        const res = await fetch(`${opts.intakeUrl()}/v1/incidents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(15000),
        });
        status = res.status;
        const json = (await res.json().catch(() => ({}))) as { id?: string };
        statuses[status] = (statuses[status] ?? 0) + 1;
        if ((status === 201 || status === 200) && json.id) {
          ids.push(json.id);
          return;
        }
        lastFailure = `${status} ${JSON.stringify(json).slice(0, 300)}`;
      } catch (err) {
        statuses[0] = (statuses[0] ?? 0) + 1;
        lastFailure = (err as Error).message;
      }
      if (status >= 400 && status < 500) throw new Error(`intake refused incident ${cad} with ${status}`);
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * (attempt + 1))));
    }
  };

  const timer = setInterval(() => {
    if (stopped) return;
    const p = sendOne(++seq).finally(() => pending.delete(p));
    pending.add(p);
  }, 1000 / opts.perSecond);

  return {
    async stop(deadlineMs = 120000) {
      stopped = true;
      clearInterval(timer);
      let timeout: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timeout = setTimeout(
          () =>
            reject(
              new Error(
                `${pending.size} incidents still without an id ${deadlineMs} ms after the stream stopped; intake answered ${JSON.stringify(statuses)}, last failure: ${lastFailure}`,
              ),
            ),
          deadlineMs,
        );
      });
      try {
        await Promise.race([Promise.all([...pending]), late]);
      } finally {
        clearTimeout(timeout);
      }
      // Dedupe: a retried request whose first answer was lost still names the same incident.
      return [...new Set(ids)];
    },
    statuses: () => ({ ...statuses }),
    sent: () => seq,
  };
}
