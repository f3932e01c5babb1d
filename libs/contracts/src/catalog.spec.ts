import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildEvent,
  createIncidentExample,
  createIncidentRequestSchema,
  decodeCloudEvent,
  eventCatalog,
  EVENT_TYPE_PATTERN,
  findEventDefinition,
  parseCloudEvent,
  topicManifest,
  type EventDefinition,
} from './index';

const ctx = { source: '/cit/test', departmentId: 'demo', correlationId: 'corr-1' };

function eventModules(): Record<string, unknown>[] {
  const root = join(__dirname, 'events');
  return (
    readdirSync(root, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.event.ts'))
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads every event module found on disk
      .map((f) => require(join(root, f)) as Record<string, unknown>)
  );
}

describe('event catalog', () => {
  it('holds every event definition declared under events/, each with a schema and a valid example', () => {
    const declared = eventModules()
      .flatMap((m) => Object.values(m))
      .filter((v): v is EventDefinition => typeof v === 'object' && v !== null && 'type' in v && 'example' in v);
    expect(declared.length).toBeGreaterThanOrEqual(15);
    const catalogTypes = new Set(eventCatalog.map((d) => d.type));
    for (const def of declared) {
      expect(catalogTypes.has(def.type as never)).toBe(true);
    }
    for (const def of eventCatalog as readonly EventDefinition[]) {
      expect(def.type).toMatch(EVENT_TYPE_PATTERN);
      expect(def.data).toBeDefined();
      expect(def.example).toBeDefined();
      const result = def.data.safeParse(def.example);
      if (!result.success) throw new Error(`${def.type} example is invalid: ${result.error.message}`);
    }
  });

  it('has unique types, each published on a manifest topic', () => {
    const types = eventCatalog.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    const topics = new Set(topicManifest.topics.map((t) => t.name));
    for (const def of eventCatalog) expect(topics.has(def.topic)).toBe(true);
  });

  it('builds events that parse back to the same value', () => {
    for (const def of eventCatalog as readonly EventDefinition[]) {
      const event = buildEvent(def.type as never, 'agg-1', def.example as never, ctx);
      const parsed = decodeCloudEvent(Buffer.from(JSON.stringify(event)));
      expect(parsed).toEqual({ ok: true, event });
    }
  });

  it('takes the source from the contract producer unless one is given', () => {
    const { source: _given, ...noSource } = ctx;
    const event = buildEvent(
      'cit.incident.reported.v1',
      'inc-1',
      findEventDefinition('cit.incident.reported.v1')!.example as never,
      noSource,
    );
    expect(event.source).toBe('/cit/intake');
  });

  it('refuses to build an event whose data breaks its schema', () => {
    expect(() => buildEvent('cit.incident.updated.v1', 'inc-1', { incidentId: 'inc-1' } as never, ctx)).toThrow(
      /changedFields/,
    );
  });

  it('rejects unknown types, unknown fields, wrong types and plaintext PHI, naming the field', () => {
    const good = buildEvent(
      'cit.incident.reported.v1',
      'inc-1',
      findEventDefinition('cit.incident.reported.v1')!.example as never,
      ctx,
    );
    expect(parseCloudEvent({ ...good, type: 'cit.nope.happened.v1' })).toMatchObject({ ok: false, field: 'type' });
    expect(parseCloudEvent({ ...good, extra: 1 })).toMatchObject({ ok: false });
    expect(parseCloudEvent({ ...good, data: { ...good.data, encounter: 7 } })).toMatchObject({
      ok: false,
      field: 'data.encounter',
    });
    const plain = { ...good.data, narrative: 'he said he would hurt himself' };
    expect(parseCloudEvent({ ...good, data: plain })).toMatchObject({ ok: false, field: 'data.narrative' });
    expect(decodeCloudEvent(Buffer.from('{not json'))).toMatchObject({ ok: false, error: 'value is not valid JSON' });
    expect(decodeCloudEvent(null)).toMatchObject({ ok: false });
  });
});

describe('create incident request', () => {
  it('accepts the published example', () => {
    expect(createIncidentRequestSchema.safeParse(createIncidentExample).success).toBe(true);
  });

  it('rejects unknown fields and names them', () => {
    const result = createIncidentRequestSchema.safeParse({ ...createIncidentExample, colour: 'red' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('colour');
  });
});
