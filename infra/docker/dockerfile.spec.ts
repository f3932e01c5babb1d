import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine runs where these tests run: the Dockerfile's layering is checked as text.
const root = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Stage {
  name: string;
  from: string;
  instructions: string[];
}

/** Stages with their instructions (continuation lines joined, comments dropped). */
function parseStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1], name: from[2] ?? '', instructions: [] });
    else stages.at(-1)?.instructions.push(line);
  }
  return stages;
}

const stages = parseStages(dockerfile);
const stage = (name: string): Stage => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
/** A stage and the stages it is built FROM, nearest first. */
const chain = (name: string): Stage[] => {
  const s = stage(name);
  return stages.some((x) => x.name === s.from) ? [s, ...chain(s.from)] : [s];
};
const REMOVE_DEV_ISSUER = 'RUN rm -rf libs/auth/dist/dev-issuer';
const copiesFromContext = (s: Stage) => s.instructions.filter((i) => /^COPY\s/i.test(i) && !/--from=/.test(i));

describe('Dockerfile', () => {
  it('runs npm ci on the manifests alone, before any source is copied', () => {
    const install = stages.find((s) => s.instructions.some((i) => /\bnpm ci\b/.test(i)));
    expect(install).toBeDefined();
    for (const s of chain(install!.name)) {
      const upToInstall =
        s === install
          ? s.instructions.slice(
              0,
              s.instructions.findIndex((i) => /\bnpm ci\b/.test(i)),
            )
          : s.instructions;
      expect(upToInstall.filter((i) => /^COPY\s/i.test(i))).toEqual(
        upToInstall.filter((i) => /^COPY\s+--from=manifests\s/i.test(i)),
      );
    }
    // What the manifests stage hands over: package.json and package-lock.json files, nothing else.
    const handover = stage('manifests')
      .instructions.filter((i) => /^RUN\s/i.test(i))
      .join(' ');
    const copied = /cp --parents (.+?) \/manifests\//.exec(handover)?.[1].split(/\s+/) ?? [];
    expect(copied.length).toBeGreaterThan(0);
    for (const file of copied) expect(file).toMatch(/(^|\/)package(-lock)?\.json$/);
  });

  it('keeps sources, tests and infra/local out of the service image', () => {
    const last = stages.at(-1)!;
    expect(last.name).toBe('runtime');
    const runtime = chain('runtime');
    expect(runtime.map((s) => s.name)).not.toContain('build');
    for (const s of runtime) {
      for (const copy of copiesFromContext(s)) expect(copy).toMatch(/^COPY\s+infra\/docker\/healthcheck\.cjs\s/);
      for (const copy of s.instructions.filter((i) => /^COPY\s+--from=build\s/i.test(i)))
        expect(copy).toMatch(/\s\/out\//);
    }
    // /out holds each project's package.json and dist, which is all the build stage exports.
    const out = stage('build').instructions.join(' ');
    expect(out).toMatch(
      /cp "\$project\/package\.json" "\/out\/\$project\/" && cp -R "\$project\/dist" "\/out\/\$project\/"/,
    );
    expect(
      runtime
        .flatMap((s) => s.instructions)
        .filter((i) => i !== REMOVE_DEV_ISSUER)
        .join('\n'),
    ).not.toMatch(/dev-issuer|infra\/local|infra\/provision|infra\/kafka|\bsrc\//);
  });

  it('leaves the development issuer out of the service image: removed after the libs are copied, never copied back', () => {
    const instructions = chain('runtime')
      .reverse()
      .flatMap((s) => s.instructions);
    const libs = instructions.findIndex((i) => /^COPY\s+--from=build\s+\/out\/libs\s/.test(i));
    const removal = instructions.indexOf(REMOVE_DEV_ISSUER);
    expect(libs).toBeGreaterThanOrEqual(0);
    expect(removal).toBeGreaterThan(libs);
    for (const later of instructions.slice(removal + 1)) expect(later).not.toMatch(/^COPY\s.*\/out\/libs\b/);
    // The tools target, and only it, gets it back.
    expect(stage('tools').instructions).toContain(
      'COPY --from=build /out/libs/auth/dist/dev-issuer ./libs/auth/dist/dev-issuer',
    );
  });

  it('gives the dev issuer, topic provisioning and the Kafka users/ACLs renderer their own tools target', () => {
    const tools = stage('tools').instructions.join('\n');
    expect(tools).toContain('infra/docker/dev-issuer.cjs');
    expect(tools).toContain('infra/provision/');
    expect(tools).toMatch(
      /COPY infra\/kafka\/kafka-security\.mjs infra\/kafka\/kafka-acls\.cjs infra\/kafka\/consumers\.json /,
    );
    expect(tools).toContain('libs/contracts/src/topic-expansion.cjs');
  });

  it('runs as node with a health check and migrations before the service', () => {
    const runtime = stage('runtime').instructions;
    expect(runtime).toContain('USER node');
    expect(runtime.find((i) => i.startsWith('HEALTHCHECK'))).toContain('infra/docker/healthcheck.cjs');
    expect(runtime.find((i) => i.startsWith('CMD'))).toMatch(
      /migrate\.js && exec node services\/\$\{SERVICE\}\/dist\/main\.js/,
    );
  });
});
