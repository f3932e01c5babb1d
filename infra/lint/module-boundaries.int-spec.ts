/**
 * The architecture's import rules, enforced by ESLint (@nx/enforce-module-boundaries):
 * a lib never imports a service, and services never import each other.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@cit/testing';

const root = repoRoot();

const RULE = '@nx/enforce-module-boundaries';

// The ESLint CLI in a child process: the flat config is ESM, which jest's module sandbox cannot import.
function lintMessages(file: string, code: string): { ruleId: string | null; message: string }[] {
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
      '--format',
      'json',
      '--stdin',
      '--stdin-filename',
      join(root, file),
    ],
    { cwd: root, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (!result.stdout) throw new Error(`eslint failed: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return report.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

// Each case names the message the rule gives for that violation, so an unrelated lint error
// (a typo in the probe, another rule) cannot make the test pass.
describe('module boundaries', () => {
  it('forbids a lib importing a service (services are apps)', () => {
    const messages = lintMessages(
      'libs/testing/src/boundary-probe.ts',
      "import { intakeService } from '@cit/intake-service';\nexport const x = intakeService;\n",
    );
    expect(messages).toContainEqual({ ruleId: RULE, message: 'Imports of apps are forbidden' });
  });

  it('forbids a lib the service depends on importing it back (a cycle)', () => {
    const messages = lintMessages(
      'libs/contracts/src/boundary-probe.ts',
      "import { intakeService } from '@cit/intake-service';\nexport const x = intakeService;\n",
    );
    expect(messages).toContainEqual({
      ruleId: RULE,
      message: expect.stringMatching(
        /^Circular dependency between "@cit\/contracts" and "@cit\/intake-service" detected/,
      ),
    });
  });

  it('forbids a service importing another service', () => {
    const messages = lintMessages(
      'services/intake/src/boundary-probe.ts',
      "import { triageService } from '@cit/triage-service';\nexport const y = triageService;\n",
    );
    expect(messages).toContainEqual({ ruleId: RULE, message: 'Imports of apps are forbidden' });
  });

  it('allows a service importing a lib', () => {
    const messages = lintMessages(
      'services/intake/src/boundary-probe.ts',
      "import { eventCatalog } from '@cit/contracts';\nexport const z = eventCatalog;\n",
    );
    expect(messages.filter((m) => m.ruleId === RULE)).toEqual([]);
  });
});
