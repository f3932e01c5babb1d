/* Seeds the demo department's partner directory (idempotent); used by npm start. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, tenantTransaction } from '@cit/persistence';
import { loadDatabaseEnv, loadLocalEnvFile, migrationDatabaseUrl, serviceDatabaseName } from '@cit/service-kit';
import { PartnerAgencyEntity } from './partner-directory/partner-agency.entity';
import { referralService } from './referral.definition';

interface DemoDepartment {
  department: { id: string };
  agencies: { id: string; name: string }[];
}

async function seed(): Promise<void> {
  loadLocalEnvFile();
  const env = loadDatabaseEnv();
  const demo = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'infra', 'local', 'demo', 'department.json'), 'utf8'),
  ) as DemoDepartment;
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
    await tenantTransaction(ds, demo.department.id, (em) =>
      em.getRepository(PartnerAgencyEntity).upsert(
        demo.agencies.map((a) => ({
          departmentId: demo.department.id,
          id: a.id,
          name: a.name,
          // HSDS 3.1 organization: the required fields of organization.json.
          hsds: { id: a.id, name: a.name, description: a.name },
          active: true,
          updatedAt: new Date(),
        })),
        ['departmentId', 'id'],
      ),
    );
    process.stdout.write(
      `referral: seeded ${demo.agencies.length} partner agencies for department ${demo.department.id}\n`,
    );
  } finally {
    await ds.destroy();
  }
}

seed().catch((err: Error) => {
  process.stderr.write(`referral seed failed: ${err.message}\n`);
  process.exit(1);
});
