/* Seeds the demo department's partner directory (HSDS 3.1), MOUs and settings (idempotent); used by npm start. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, tenantTransaction } from '@cit/persistence';
import { loadDatabaseEnv, loadLocalEnvFile, migrationDatabaseUrl, serviceDatabaseName } from '@cit/service-kit';
import { DateTime } from 'luxon';
import { DirectoryStore } from './directory/directory.store';
import type { DirectoryService } from './directory/directory.model';
import { organizationFromHsds, serviceFromHsds, type HsdsOrganization } from './directory/hsds-mapping';
import { HsdsValidator, type PointerError } from './directory/hsds-validator';
import { TEMPLATE_TERMS } from './mous/mou.model';
import { MouStore } from './mous/mou.store';
import { referralService } from './referral.definition';
import { DEMO_AGENCIES, demoDirectoryDocument } from './seed-directory';

interface DemoDepartment {
  department: { id: string; timezone?: string };
}

async function seed(): Promise<void> {
  loadLocalEnvFile();
  const env = loadDatabaseEnv();
  const demo = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'infra', 'local', 'demo', 'department.json'), 'utf8'),
  ) as DemoDepartment;
  const dept = demo.department.id;
  const doc = demoDirectoryDocument();
  const errors: PointerError[] = new HsdsValidator().validateDocument(doc);
  const orgs = doc.organizations
    .map((o, i) => organizationFromHsds(o, `/organizations/${i}`, errors))
    .filter((o): o is HsdsOrganization => o !== null);
  const byHsdsId = new Map(orgs.map((o) => [o.hsdsId, o.agencyId]));
  const services = doc.services
    .map((s, i) => {
      const service = serviceFromHsds(s, byHsdsId.get(String(s.organization_id))!, `/services/${i}`, errors);
      return service ? { service, document: s } : null;
    })
    .filter((s): s is { service: DirectoryService; document: Record<string, unknown> } => s !== null);
  if (errors.length) throw new Error(`demo directory is not valid HSDS: ${JSON.stringify(errors.slice(0, 3))}`);
  const ds = await createDataSource({
    serviceName: 'referral-seed',
    // A deployment step like migrations: it runs with the owner's URL, and still writes under
    // the department's tenant, so the rows pass the same row-level-security check as the service's.
    url: migrationDatabaseUrl(env),
    database: serviceDatabaseName(referralService, env.DATABASE_NAME),
    entities: referralService.entities,
    migrations: [],
  }).initialize();
  try {
    const today = DateTime.now().setZone(demo.department.timezone ?? 'America/New_York');
    await tenantTransaction(ds, dept, async (em) => {
      await em.query(
        `INSERT INTO referral_setting (department_id, timezone) VALUES ($1, $2) ON CONFLICT (department_id) DO NOTHING`,
        [dept, demo.department.timezone ?? 'America/New_York'],
      );
      await DirectoryStore.saveOrganizations(em, dept, orgs);
      await DirectoryStore.saveServices(em, dept, services);
      for (const [i, a] of DEMO_AGENCIES.entries()) {
        const existing = await MouStore.get(em, dept, `mou-${a.id}`);
        if (existing) continue;
        // One MOU expires within 60 days, so GET /v1/mous?expiringWithinDays=60 has something to show.
        const expires = i === 2 ? today.plus({ days: 45 }) : today.plus({ years: 1 });
        await MouStore.upsert(em, dept, {
          id: `mou-${a.id}`,
          agencyId: a.id,
          template: a.template,
          serviceIds: [],
          effectiveFrom: today.minus({ months: 6 }).toISODate()!,
          expiresOn: expires.toISODate()!,
          status: 'active',
          terms: TEMPLATE_TERMS[a.template],
          documentRef: `mous/${a.id}-signed.pdf`,
        });
      }
    });
    process.stdout.write(
      `referral: seeded ${orgs.length} partner agencies, ${services.length} services and their MOUs for department ${dept}\n`,
    );
  } finally {
    await ds.destroy();
  }
}

seed().catch((err: Error) => {
  process.stderr.write(`referral seed failed: ${err.message}\n`);
  process.exit(1);
});
