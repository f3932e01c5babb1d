// A followup process running only its BullMQ workers and reconciler (no HTTP listener, no
// consumer), so a test can SIGKILL it mid-job. Env: the service's variables plus
// FOLLOWUP_TEST_OPTIONS (JSON FollowupOptions: the test's queue prefix and short lock times).
import 'reflect-metadata';
import { Module, type Type } from '@nestjs/common';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import { followupService } from '../followup.definition';
import { FollowupModule } from '../followup.module';

function app(options: object): Type<unknown> {
  @Module({ imports: [FollowupModule.forRoot(options)] })
  class FollowupWorkerModule {}
  return FollowupWorkerModule;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.FOLLOWUP_TEST_OPTIONS ?? '{}') as object;
  const nest = await createServiceApp(followupService, app(options), loadServiceEnv(process.env, followupService));
  await nest.init();
  process.stdout.write('worker ready\n');
  process.once('SIGTERM', () => {
    void nest.close().then(() => process.exit(0));
  });
}

main().catch((err: Error) => {
  process.stderr.write(`worker failed: ${err.message}\n`);
  process.exit(1);
});
