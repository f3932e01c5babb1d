import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventCatalog } from '@cit/contracts';
import { renderEventCatalogue } from '../../../docs/tools/event-catalogue';

describe('docs/events.md', () => {
  const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');

  it('is what libs/contracts generates today (run npm run docs:events after changing a contract)', () => {
    expect(committed).toBe(renderEventCatalogue());
  });

  it('lists every event type of the catalogue with its topic', () => {
    for (const def of eventCatalog) {
      expect(committed).toContain(`### \`${def.type}\``);
      expect(committed).toContain(`- topic: \`${def.topic}\``);
    }
  });
});
