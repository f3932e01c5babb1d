import { validateRuleset } from './ruleset';

const ok = {
  name: 'r',
  rules: [
    { id: 'a', description: 'd', when: { fact: 'relatedTo', equals: 'mental-health' }, then: { risk: 'routine' } },
  ],
};
const withRule = (r: Record<string, unknown>) => ({ ...ok, rules: [ok.rules[0], { ...ok.rules[0], id: 'b', ...r }] });

describe('validateRuleset: errors point at the rule by path', () => {
  it('accepts a valid ruleset', () => expect(validateRuleset(ok).ok).toBe(true));

  it.each([
    ['not an object', [], '(body)'],
    ['no rules', { name: 'r', rules: [] }, 'rules'],
    ['unknown top-level field', { ...ok, extra: 1 }, 'extra'],
    ['duplicate id', withRule({ id: 'a' }), 'rules.1.id'],
    ['bad id', withRule({ id: 'Not An Id' }), 'rules.1.id'],
    ['unknown fact', withRule({ when: { fact: 'mood', equals: 'sad' } }), 'rules.1.when.fact'],
    [
      'unknown code for an enum fact',
      withRule({ when: { fact: 'relatedTo', equals: 'alcohol' } }),
      'rules.1.when.equals',
    ],
    [
      'nested unknown observation',
      withRule({
        when: { all: [{ fact: 'relatedTo', equals: 'both' }, { any: [{ fact: 'observations', includes: 'weapon' }] }] },
      }),
      'rules.1.when.all.1.any.0.includes',
    ],
    ['includes on a scalar fact', withRule({ when: { fact: 'callType', includes: 'x' } }), 'rules.1.when.includes'],
    ['equals on a list fact', withRule({ when: { fact: 'observations', equals: 'trauma' } }), 'rules.1.when.equals'],
    [
      'boolean fact given a string',
      withRule({ when: { fact: 'subject.juvenile', equals: 'yes' } }),
      'rules.1.when.equals',
    ],
    ['atLeast on a text fact', withRule({ when: { fact: 'callType', atLeast: 2 } }), 'rules.1.when.atLeast'],
    ['two operators', withRule({ when: { fact: 'callType', equals: 'a', in: ['b'] } }), 'rules.1.when'],
    ['empty all', withRule({ when: { all: [] } }), 'rules.1.when.all'],
    ['unknown risk', withRule({ then: { risk: 'high' } }), 'rules.1.then.risk'],
    ['unknown need', withRule({ then: { needs: ['mental-health', 'jobs'] } }), 'rules.1.then.needs.1'],
    [
      'no-further-action combined',
      withRule({ then: { pathways: ['no-further-action', 'partner-referral'] } }),
      'rules.1.then.pathways',
    ],
    [
      'unknown consultation reason',
      withRule({ then: { consultation: ['gut-feeling'] } }),
      'rules.1.then.consultation.0',
    ],
    ['no effect at all', withRule({ then: { stop: true } }), 'rules.1.then'],
    ['missing when', withRule({ when: undefined }), 'rules.1.when'],
    [
      'nesting too deep',
      withRule({
        when: { not: { not: { not: { not: { not: { not: { not: { not: { fact: 'callType', equals: 'x' } } } } } } } } },
      }),
      'rules.1.when.not.not.not.not.not.not.not.not',
    ],
  ])('%s → %s', (_name, doc, path) => {
    const r = validateRuleset(JSON.parse(JSON.stringify(doc)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toContain(path);
  });
});
