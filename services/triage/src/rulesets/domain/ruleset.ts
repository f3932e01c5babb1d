import {
  riskLevelSchema,
  sectorSchema,
  triageNeedSchema,
  triagePathwaySchema,
  type RiskLevel,
  type Sector,
  type TriageNeed,
  type TriagePathway,
} from '@cit/contracts';
import { consultationReasonSchema } from '@cit/contracts';
import { FACTS, type FactName } from './triage-facts';

/**
 * A department ruleset: declarative JSON, checked here before it is stored. Every problem is
 * reported with the path of the rule part it concerns (`rules.3.when.all.1.fact`), so an
 * admin can find it in the uploaded document.
 */

export type Scalar = string | number | boolean;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { fact: FactName; equals: Scalar }
  | { fact: FactName; in: Scalar[] }
  | { fact: FactName; includes: string }
  | { fact: FactName; includesAny: string[] }
  | { fact: FactName; atLeast: number };

export type ConsultationReason = 'court-involved' | 'open-investigation';

export interface RuleEffects {
  risk?: RiskLevel;
  needs?: TriageNeed[];
  pathways?: TriagePathway[];
  sector?: Sector;
  consultation?: ConsultationReason[];
  /** Later rules are not evaluated once this one fired. */
  stop?: boolean;
}

export interface Rule {
  id: string;
  description: string;
  when: Condition;
  then: RuleEffects;
}

export interface Ruleset {
  name: string;
  description?: string;
  rules: Rule[];
}

export interface RulesetIssue {
  /** Dotted path into the uploaded document, e.g. rules.2.when.any.0.includes */
  path: string;
  message: string;
}

export const RULESET_LIMITS = { rules: 200, conditionDepth: 8, conditionsPerRule: 64, listValues: 100 } as const;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const OPERATORS = ['equals', 'in', 'includes', 'includesAny', 'atLeast'] as const;

class Checker {
  readonly issues: RulesetIssue[] = [];
  private conditions = 0;

  issue(path: (string | number)[], message: string) {
    if (this.issues.length < 100) this.issues.push({ path: path.join('.') || '(body)', message });
  }

  keys(obj: Record<string, Json>, allowed: readonly string[], path: (string | number)[]) {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.issue([...path, k], 'unknown field');
  }

  text(v: Json, path: (string | number)[], max: number, required = true): v is string {
    if (v === undefined && !required) return false;
    if (typeof v !== 'string' || v.trim().length === 0) return (this.issue(path, 'must be a non-empty string'), false);
    if (v.length > max) return (this.issue(path, `must be at most ${max} characters`), false);
    return true;
  }

  codes<T extends string>(v: Json, allowed: readonly T[], path: (string | number)[], what: string): T[] | undefined {
    if (!Array.isArray(v)) return (this.issue(path, `must be a list of ${what}`), undefined);
    const seen = new Set<string>();
    v.forEach((c, i) => {
      if (typeof c !== 'string' || !allowed.includes(c as T))
        this.issue([...path, i], `must be one of ${allowed.join(', ')}`);
      else if (seen.has(c)) this.issue([...path, i], `repeats ${c}`);
      else seen.add(c);
    });
    return v as T[];
  }

  condition(node: Json, path: (string | number)[], depth: number): void {
    if (++this.conditions > RULESET_LIMITS.conditionsPerRule) {
      if (this.conditions === RULESET_LIMITS.conditionsPerRule + 1)
        this.issue(path, `a rule may hold at most ${RULESET_LIMITS.conditionsPerRule} conditions`);
      return;
    }
    if (depth > RULESET_LIMITS.conditionDepth)
      return this.issue(path, `conditions nest at most ${RULESET_LIMITS.conditionDepth} deep`);
    if (!isObject(node))
      return this.issue(path, 'must be a condition object (all, any, not, or fact with an operator)');
    for (const group of ['all', 'any'] as const) {
      if (group in node) {
        this.keys(node, [group], path);
        const list = node[group];
        if (!Array.isArray(list) || list.length === 0)
          return this.issue([...path, group], 'must be a non-empty list of conditions');
        list.forEach((c, i) => this.condition(c, [...path, group, i], depth + 1));
        return;
      }
    }
    if ('not' in node) {
      this.keys(node, ['not'], path);
      return this.condition(node.not, [...path, 'not'], depth + 1);
    }
    if (!('fact' in node)) return this.issue(path, 'must have all, any, not, or fact');
    const fact = node.fact;
    if (typeof fact !== 'string' || !(fact in FACTS))
      return this.issue([...path, 'fact'], `unknown fact; facts are ${Object.keys(FACTS).join(', ')}`);
    const ops = OPERATORS.filter((op) => op in node);
    this.keys(node, ['fact', ...OPERATORS], path);
    if (ops.length !== 1) return this.issue(path, `must have exactly one operator of ${OPERATORS.join(', ')}`);
    const op = ops[0];
    const value = node[op];
    const at = [...path, op];
    const kind = FACTS[fact as FactName];
    const checkValue = (v: Json, p: (string | number)[]) => {
      if (kind.kind === 'boolean') {
        if (typeof v !== 'boolean') this.issue(p, `${fact} is true or false`);
      } else if (kind.kind === 'number') {
        if (typeof v !== 'number' || !Number.isFinite(v)) this.issue(p, `${fact} is a number`);
      } else if (typeof v !== 'string' || v.length === 0 || v.length > 64) {
        this.issue(p, `${fact} values are codes of 1 to 64 characters`);
      } else if (kind.values && !kind.values.includes(v)) {
        this.issue(p, `not a ${fact} code; codes are ${kind.values.join(', ')}`);
      }
    };
    switch (op) {
      case 'equals':
      case 'in':
        if (kind.kind === 'text-list') return this.issue(at, `${fact} is a list: use includes or includesAny`);
        if (op === 'equals') return checkValue(value, at);
        if (!Array.isArray(value) || value.length === 0 || value.length > RULESET_LIMITS.listValues)
          return this.issue(at, `must be a list of 1 to ${RULESET_LIMITS.listValues} values`);
        return value.forEach((v, i) => checkValue(v, [...at, i]));
      case 'includes':
      case 'includesAny':
        if (kind.kind !== 'text-list') return this.issue(at, `${fact} is not a list: use equals or in`);
        if (op === 'includes') return checkValue(value, at);
        if (!Array.isArray(value) || value.length === 0 || value.length > RULESET_LIMITS.listValues)
          return this.issue(at, `must be a list of 1 to ${RULESET_LIMITS.listValues} values`);
        return value.forEach((v, i) => checkValue(v, [...at, i]));
      case 'atLeast':
        if (kind.kind !== 'number') return this.issue(at, `${fact} is not a number`);
        return checkValue(value, at);
    }
  }

  effects(node: Json, path: (string | number)[]) {
    if (!isObject(node)) return this.issue(path, 'must be an object of effects');
    this.keys(node, ['risk', 'needs', 'pathways', 'sector', 'consultation', 'stop'], path);
    if ('risk' in node && !riskLevelSchema.options.includes(node.risk as RiskLevel))
      this.issue([...path, 'risk'], `must be one of ${riskLevelSchema.options.join(', ')}`);
    if ('needs' in node) this.codes(node.needs, triageNeedSchema.options, [...path, 'needs'], 'needs');
    if ('pathways' in node) {
      const p = this.codes(node.pathways, triagePathwaySchema.options, [...path, 'pathways'], 'pathways');
      if (p && p.includes('no-further-action') && p.length > 1)
        this.issue([...path, 'pathways'], 'no-further-action cannot be combined with other pathways');
    }
    if ('sector' in node && !sectorSchema.options.includes(node.sector as Sector))
      this.issue([...path, 'sector'], `must be one of ${sectorSchema.options.join(', ')}`);
    if ('consultation' in node)
      this.codes(node.consultation, consultationReasonSchema.options, [...path, 'consultation'], 'reasons');
    if ('stop' in node && typeof node.stop !== 'boolean') this.issue([...path, 'stop'], 'must be true or false');
    if (Object.keys(node).filter((k) => k !== 'stop').length === 0)
      this.issue(path, 'must set at least one of risk, needs, pathways, sector, consultation');
  }

  ruleset(doc: Json) {
    if (!isObject(doc)) return this.issue([], 'a ruleset is a JSON object with name and rules');
    this.keys(doc, ['name', 'description', 'rules'], []);
    this.text(doc.name, ['name'], 200);
    if (doc.description !== undefined) this.text(doc.description, ['description'], 2000);
    const rules = doc.rules;
    if (!Array.isArray(rules) || rules.length === 0) return this.issue(['rules'], 'must be a non-empty list of rules');
    if (rules.length > RULESET_LIMITS.rules) return this.issue(['rules'], `at most ${RULESET_LIMITS.rules} rules`);
    const ids = new Map<string, number>();
    rules.forEach((rule, i) => {
      const path = ['rules', i];
      if (!isObject(rule)) return this.issue(path, 'must be a rule object (id, description, when, then)');
      this.keys(rule, ['id', 'description', 'when', 'then'], path);
      if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id))
        this.issue([...path, 'id'], 'must be a kebab-case id of up to 64 characters');
      else if (ids.has(rule.id)) this.issue([...path, 'id'], `repeats the id of rules.${ids.get(rule.id)}`);
      else ids.set(rule.id, i);
      this.text(rule.description, [...path, 'description'], 500);
      this.conditions = 0;
      if (!('when' in rule)) this.issue([...path, 'when'], 'is required');
      else this.condition(rule.when, [...path, 'when'], 1);
      if (!('then' in rule)) this.issue([...path, 'then'], 'is required');
      else this.effects(rule.then, [...path, 'then']);
    });
  }
}

/** Checks an uploaded document; `ruleset` only when there is no issue. */
export function validateRuleset(doc: unknown): { ok: true; ruleset: Ruleset } | { ok: false; issues: RulesetIssue[] } {
  const checker = new Checker();
  checker.ruleset(doc);
  if (checker.issues.length > 0) return { ok: false, issues: checker.issues };
  return { ok: true, ruleset: doc as Ruleset };
}
