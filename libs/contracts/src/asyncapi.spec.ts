import { Parser } from '@asyncapi/parser';
import { buildAsyncApiDocument } from './asyncapi';
import { eventCatalog } from './catalog';

describe('AsyncAPI document for partner agencies', () => {
  it('parses with @asyncapi/parser without errors and documents every event type', async () => {
    const doc = buildAsyncApiDocument();
    const parser = new Parser();
    const { document, diagnostics } = await parser.parse(JSON.stringify(doc));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document).toBeDefined();
    const messageNames = document!
      .allMessages()
      .all()
      .map((m) => m.name());
    for (const def of eventCatalog) expect(messageNames).toContain(def.type);
    expect(
      document!
        .channels()
        .all()
        .map((c) => c.address()),
    ).toContain('cit.partner.{agencyId}.referrals.v1');
  }, 60000);
});
