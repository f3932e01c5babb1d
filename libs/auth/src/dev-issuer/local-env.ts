import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from './dev-signing-key';

/**
 * Loads <repo>/.local/env (written by the infra script) into process.env without overriding
 * set variables, so the CLIs agree with the services on issuer, audience and port.
 * Node's own loader, as the services use: one parser for the file everywhere.
 */
export function loadLocalEnvForCli(): void {
  let root: string;
  try {
    root = findRepoRoot();
  } catch {
    return;
  }
  const file = join(root, '.local', 'env');
  if (existsSync(file)) process.loadEnvFile(file);
}
