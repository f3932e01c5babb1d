/**
 * The architecture's import rules, enforced by ESLint (@nx/enforce-module-boundaries):
 * a lib never imports a service, and services never import each other.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@cit/testing';

const root = repoRoot();

// The ESLint CLI in a child process: the flat config is ESM, which jest's module sandbox cannot import.
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', join(root, file)],
    { cwd: root, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (!result.stdout) throw new Error(`eslint failed: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return report.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('forbids a lib importing a service', async () => {
    const errors = await boundaryErrors(
      'libs/contracts/src/boundary-probe.ts',
      "import { intakeService } from '@cit/intake-service';\nexport const x = intakeService;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids a service importing another service', async () => {
    const errors = await boundaryErrors(
      'services/intake/src/boundary-probe.ts',
      "import { triageService } from '@cit/triage-service';\nexport const y = triageService;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows a service importing a lib', async () => {
    const errors = await boundaryErrors(
      'services/intake/src/boundary-probe.ts',
      "import { eventCatalog } from '@cit/contracts';\nexport const z = eventCatalog;\n",
    );
    expect(errors).toEqual([]);
  });
});
