/*
 * Seeds the demo department's partner directory (HSDS 3.1) and time zone (idempotent); used by npm start.
 * MOUs are not written here: infra/local/lib/demo-seed.mjs puts them through PUT /v1/mous so that
 * cit.referral.mou-changed.v1 reaches conference (member agencies) and followup (expiry reminders).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, tenantTransaction } from '@cit/persistence';
import { loadDatabaseEnv, loadLocalEnvFile, migrationDatabaseUrl, serviceDatabaseName } from '@cit/service-kit';
import { DirectoryStore } from './directory/directory.store';
import type { DirectoryService } from './directory/directory.model';
import { organizationFromHsds, serviceFromHsds, type HsdsOrganization } from './directory/hsds-mapping';
import { HsdsValidator, type PointerError } from './directory/hsds-validator';
import { referralService } from './referral.definition';
import { demoDirectoryDocument } from './seed-directory';

interface DemoDepartment {
  department: { id: string; timezone?: string };
}

async function seed(): Promise<void> {
  loadLocalEnvFile();
  const env = loadDatabaseEnv();
  const demo = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'infra', 'local', 'demo', 'department.json'), 'utf8'),
  ) as DemoDepartment;
  // SEED_DEPARTMENT (the platform runner sets it) lets a test or benchmark seed its own department id.
  const dept = process.env.SEED_DEPARTMENT || demo.department.id;
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
    await tenantTransaction(ds, dept, async (em) => {
      await em.query(
        `INSERT INTO referral_setting (department_id, timezone) VALUES ($1, $2) ON CONFLICT (department_id) DO NOTHING`,
        [dept, demo.department.timezone ?? 'America/New_York'],
      );
      await DirectoryStore.saveOrganizations(em, dept, orgs);
      await DirectoryStore.saveServices(em, dept, services);
    });
    process.stdout.write(
      `referral: seeded ${orgs.length} partner agencies, ${services.length} services for department ${dept}\n`,
    );
  } finally {
    await ds.destroy();
  }
}

seed().catch((err: Error) => {
  process.stderr.write(`referral seed failed: ${err.message}\n`);
  process.exit(1);
});
