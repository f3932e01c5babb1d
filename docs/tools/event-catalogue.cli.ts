// npm run docs:events: rewrites docs/events.md from libs/contracts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventCatalogue } from './event-catalogue';

const target = join(__dirname, '..', 'events.md');
writeFileSync(target, renderEventCatalogue());
process.stdout.write(`wrote ${target}\n`);
