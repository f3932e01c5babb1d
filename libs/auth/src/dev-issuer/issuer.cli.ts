// Runs the development OIDC issuer until SIGTERM/SIGINT (started in the background by infra/local).
import { startDevIssuer } from './dev-issuer.server';
import { loadLocalEnvForCli } from './local-env';

async function main(): Promise<void> {
  loadLocalEnvForCli();
  const issuer = await startDevIssuer();
  const log = (msg: string, extra: Record<string, unknown> = {}): void => {
    process.stdout.write(
      `${JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'dev-issuer', msg, ...extra })}\n`,
    );
  };
  log('dev issuer listening', { issuer: issuer.issuer, jwksUrl: issuer.jwksUrl });
  const stop = (signal: string): void => {
    log('dev issuer stopping', { signal });
    issuer.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'error', service: 'dev-issuer', msg: 'dev issuer failed to start', error: (err as Error).message })}\n`,
  );
  process.exit(1);
});
