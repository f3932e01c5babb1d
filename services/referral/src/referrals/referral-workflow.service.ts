import { Injectable } from '@nestjs/common';
import {
  buildEvent,
  newId,
  partnerReferralTopic,
  type AgeRange,
  type CloudEvent,
  type ReferralOutcome,
  type ReferralReason,
  type ReferralStatus,
  type RiskLevel,
} from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { FieldCipher } from '@cit/persistence';
import type { EntityManager } from 'typeorm';
import { AgencyKeys } from '../delivery/agency-keys';
import { DeliveryStore } from '../delivery/delivery.store';
import { DirectoryStore } from '../directory/directory.store';
import { MouStore } from '../mous/mou.store';
import { ConsentStore } from '../disclosure/consent.store';
import { decideDisclosure, PART2_REDISCLOSURE_NOTICE } from '../disclosure/minimum-necessary';
import { routeReferral, type Candidate, type Exclusion, type RoutingDecision } from '../routing/routing';
import { loadReferralSettings } from '../settings/referral-settings';
import { slaDeadlines, type Urgency } from '../sla/sla';
import { checkTransition, type Party, type TransitionCheck } from './referral-lifecycle';
import {
  allowedValues,
  availableCategories,
  disclosableValues,
  partnerNeeds,
  type ReferralFacts,
  type ReferralPacket,
} from './referral-packet';
import { runFolded, type Statement } from './folded-statement';
import { ReferralStore, type NewReferral, type ReferralRecord } from './referral.store';
import { packetPlace } from './referral-views';

/** Who acts: a staff member or partner (token subject), or the service itself. */
export interface Actor {
  party: Party;
  subject: string;
  correlationId: string;
  causationId?: string;
}

export interface RouteInput {
  requestId?: string;
  triageId?: string;
  personId?: string;
  caseId?: string;
  needs: string[];
  kinds: string[];
  urgency: Urgency;
  riskLevel: RiskLevel;
  language?: string;
  ageRange: AgeRange;
  area?: string;
  imminentThreatFlag: boolean;
  packet: ReferralPacket;
  /** A coordinator's choice among the candidates. */
  agencyId?: string;
  excludeAgencies?: string[];
  attempt?: number;
  reroutedFrom?: string;
  /** At most this many agencies (re-routing replaces one); default from the department setting. */
  count?: number;
}

export interface RouteResult {
  requestId: string;
  referrals: ReferralRecord[];
  decision: RoutingDecision;
  /** Webhook deliveries to enqueue once the transaction has committed. */
  deliveries: string[];
  noCandidate: boolean;
}

export class NotACandidateError extends Error {
  constructor(readonly reasons: Exclusion[]) {
    super('the chosen agency is not an eligible candidate');
  }
}

export class TransitionError extends Error {
  constructor(readonly check: Exclude<TransitionCheck, { ok: true }>) {
    super(check.problem);
  }
}

const NON_FINAL: ReferralStatus[] = ['requested', 'received'];

/** What a referral keeps of its routing: the leading candidates with their score parts, and why others were left out. */
export const STORED_CANDIDATES = 10;
export const STORED_EXCLUSIONS = 30;

function storedRanking(d: RoutingDecision): RoutingDecision & { candidateCount: number; excludedCount: number } {
  return {
    candidates: d.candidates.slice(0, STORED_CANDIDATES),
    excluded: d.excluded.slice(0, STORED_EXCLUSIONS),
    candidateCount: d.candidates.length,
    excludedCount: d.excluded.length,
  };
}

/**
 * The referral workflow: routing, legal basis and minimum necessary per recipient, the status
 * lifecycle and re-routing. Every method runs in the caller's tenant transaction and writes
 * its events (department stream and the agency's topic) and webhook deliveries there too.
 */
@Injectable()
export class ReferralWorkflow {
  private readonly logger = createLogger('referral-workflow');

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly cipher: FieldCipher,
    private readonly agencyKeys: AgencyKeys,
  ) {}

  async route(
    em: EntityManager,
    dept: string,
    input: RouteInput,
    actor: Actor,
    now = new Date(),
  ): Promise<RouteResult> {
    const settings = await loadReferralSettings(em, dept);
    const services = await DirectoryStore.services(em, dept, { needs: input.needs, kinds: input.kinds });
    const mous = await MouStore.activeByAgency(em, dept);
    const requestId = input.requestId ?? newId('rrq');
    const decision = routeReferral(
      {
        needs: input.needs,
        kinds: input.kinds,
        urgency: input.urgency,
        language: input.language,
        ageRange: input.ageRange,
        area: input.area,
        excludeAgencies: input.excludeAgencies ?? [],
      },
      { now, zone: settings.timezone, services, mous },
    );
    let picks: Candidate[];
    if (input.agencyId) {
      const chosen = decision.candidates.find((c) => c.agencyId === input.agencyId);
      if (!chosen) {
        const reasons = decision.excluded.filter((e) => e.agencyId === input.agencyId).flatMap((e) => e.reasons);
        throw new NotACandidateError(reasons);
      }
      picks = [chosen];
    } else {
      const count = input.count ?? (settings.routingMode === 'multiple' ? settings.maxAgencies : 1);
      picks = decision.candidates.slice(0, count);
    }
    const result: RouteResult = { requestId, referrals: [], decision, deliveries: [], noCandidate: picks.length === 0 };
    if (picks.length === 0) {
      await ReferralStore.alert(em, dept, {
        id: newId('alr'),
        kind: 'no-candidate',
        audience: 'supervisor',
        requestId,
        referralId: input.reroutedFrom,
      });
      this.logger.warn({ requestId, departmentId: dept }, 'referral: no eligible partner left, supervisor alerted');
      return result;
    }
    const consents = input.personId ? await ConsentStore.forPerson(em, dept, input.personId) : [];
    const facts: ReferralFacts = {
      personId: input.personId ?? null,
      caseId: input.caseId ?? null,
      riskLevel: input.riskLevel,
      ageRange: input.ageRange,
      language: input.language ?? null,
      area: input.area ?? null,
    };
    const values = disclosableValues(facts, input.packet);
    const available = availableCategories(facts, input.packet);
    const { receiveBy, acceptBy } = slaDeadlines(settings.sla, input.urgency, now, settings.timezone);
    for (const pick of picks) {
      const service = services.find((s) => s.id === pick.serviceId)!;
      const mou = mous.get(pick.agencyId)!.find((m) => m.id === pick.mouId)!;
      const disclosure = decideDisclosure({
        recipient: { agencyId: pick.agencyId, lessensImminentThreat: service.lessensImminentThreat },
        terms: mou.terms,
        riskLevel: input.riskLevel,
        imminentThreatFlag: input.imminentThreatFlag,
        consents,
        now,
        available,
      });
      const id = newId('ref');
      const hasPacket = Object.keys(input.packet).length > 0;
      const referralRow: NewReferral = {
        id,
        departmentId: dept,
        requestId,
        triageId: input.triageId ?? null,
        personId: input.personId ?? null,
        caseId: input.caseId ?? null,
        agencyId: pick.agencyId,
        serviceId: pick.serviceId,
        mouId: pick.mouId,
        status: 'requested',
        urgency: input.urgency,
        riskLevel: input.riskLevel,
        needs: input.needs,
        kinds: input.kinds,
        language: input.language ?? null,
        ageRange: input.ageRange,
        area: input.area ?? null,
        imminentThreatFlag: input.imminentThreatFlag,
        legalBasis: disclosure.legalBasis,
        categories: disclosure.categories,
        fields: disclosure.fields,
        part2Notice: disclosure.part2Notice,
        checklist: disclosure.checklist,
        ranking: storedRanking(decision),
        score: pick,
        chosenBy: input.agencyId ? 'coordinator' : 'routing',
        attempt: input.attempt ?? 1,
        reroutedFrom: input.reroutedFrom ?? null,
        reroutedTo: null,
        receiveBy,
        acceptBy,
        outcome: null,
        reasonCode: null,
        packetCiphertext: hasPacket ? this.cipher.encrypt(JSON.stringify(input.packet), packetPlace(dept, id)) : null,
      };
      // Every write of this referral goes in one statement (one round trip; routing is a hot path).
      const writes: Statement[] = [
        ReferralStore.insertStatement(referralRow),
        ReferralStore.changeStatement(dept, id, {
          from: 'requested',
          to: 'requested',
          by: actor.party,
          actor: actor.subject,
        }),
      ];
      const shared = allowedValues(values, disclosure.fields);
      let disclosureId: string | undefined;
      if (Object.keys(shared).length > 0) {
        disclosureId = newId('dis');
        writes.push({
          sql: `INSERT INTO disclosure (department_id, id, referral_id, person_id, agency_id, channel, legal_basis, categories, fields, part2_notice, disclosed_by)
                VALUES ($1, $2, $3, $4, $5, 'referral', $6, $7, $8, $9, $10)`,
          params: [
            dept,
            disclosureId,
            id,
            input.personId ?? null,
            pick.agencyId,
            disclosure.legalBasis,
            disclosure.categories,
            Object.keys(shared),
            disclosure.part2Notice,
            actor.subject,
          ],
        });
      }
      const ctx = { departmentId: dept, correlationId: actor.correlationId, causationId: actor.causationId };
      const sla = { ...(receiveBy ? { receiveBy: receiveBy.toISOString() } : {}), acceptBy: acceptBy.toISOString() };
      const common = {
        referralId: id,
        agencyId: pick.agencyId,
        serviceId: pick.serviceId,
        mouId: pick.mouId,
        urgency: input.urgency,
        legalBasis: disclosure.legalBasis,
        respondBy: acceptBy.toISOString(),
        sla,
        attempt: input.attempt ?? 1,
        ...(input.reroutedFrom ? { reroutedFrom: input.reroutedFrom } : {}),
      };
      // The department's stream: ids and codes, no disclosure.
      writes.push(
        this.outbox.insertStatement([
          buildEvent(
            'cit.referral.requested.v1',
            id,
            {
              ...common,
              needs: input.needs.length ? input.needs : ['unspecified'],
              ...(input.caseId ? { caseId: input.caseId } : {}),
              ...(input.personId ? { personId: input.personId } : {}),
              ...(input.triageId ? { triageId: input.triageId } : {}),
            },
            ctx,
          ),
        ]),
      );
      // The agency's own topic and webhook: only what its MOU and the legal basis allow.
      const agencyCipher = await this.agencyKeys.cipher(em, dept, pick.agencyId);
      const identity = disclosure.categories.includes('identity');
      const partnerEvent = buildEvent(
        'cit.referral.requested.v1',
        id,
        {
          ...common,
          needs: partnerNeeds(input.needs, disclosure.categories),
          ...(identity && input.caseId ? { caseId: input.caseId } : {}),
          ...(identity && input.personId ? { personId: input.personId } : {}),
          ...(disclosureId
            ? {
                disclosure: {
                  disclosureId,
                  categories: disclosure.categories,
                  fields: Object.keys(shared),
                  values: Object.fromEntries(
                    Object.entries(shared).map(([f, v]) => [f, agencyCipher.encrypt(v, `referral.${f}:${id}`)]),
                  ),
                  part2Notice: disclosure.part2Notice,
                  ...(disclosure.part2Notice ? { redisclosureNotice: PART2_REDISCLOSURE_NOTICE } : {}),
                },
              }
            : {}),
        },
        ctx,
      );
      writes.push(this.outbox.insertStatement([partnerEvent], { topic: partnerReferralTopic(pick.agencyId) }));
      writes.push(DeliveryStore.createStatement(dept, pick.agencyId, id, partnerEvent));
      const { foldedId: delivery, ...referral } = await runFolded<ReferralRecord>(em, writes);
      if (delivery) result.deliveries.push(delivery);
      result.referrals.push(referral);
    }
    return result;
  }

  /**
   * Moves a referral to `to` as `actor.party`; a rejection re-routes at once. Returns the webhook
   * deliveries to enqueue after commit. Throws TransitionError (the caller answers 409 with the
   * allowed statuses).
   */
  async changeStatus(
    em: EntityManager,
    referral: ReferralRecord,
    to: ReferralStatus,
    actor: Actor,
    detail: { reasonCode?: ReferralReason; outcome?: ReferralOutcome; slaEscalated?: boolean } = {},
  ): Promise<{ deliveries: string[]; reroute?: RouteResult }> {
    const check = checkTransition(referral.status, to, actor.party, detail);
    if (!check.ok) throw new TransitionError(check);
    const dept = referral.departmentId;
    await ReferralStore.setStatus(em, dept, referral.id, { status: to, ...detail });
    await ReferralStore.recordChange(em, dept, referral.id, {
      from: referral.status,
      to,
      by: actor.party,
      actor: actor.subject,
      reasonCode: detail.reasonCode,
      outcome: detail.outcome,
    });
    const deliveries: string[] = [];
    let reroute: RouteResult | undefined;
    if (to === 'rejected' || detail.slaEscalated) {
      reroute = await this.reroute(em, referral, actor);
      deliveries.push(...reroute.deliveries);
    }
    deliveries.push(
      ...(await this.announce(em, referral, referral.status, to, actor, detail, reroute?.referrals[0]?.id)),
    );
    return { deliveries, reroute };
  }

  /** The next candidate for a referral that was rejected or timed out (agencies already tried are left out). */
  async reroute(em: EntityManager, referral: ReferralRecord, actor: Actor): Promise<RouteResult> {
    const dept = referral.departmentId;
    const tried = await ReferralStore.agenciesTried(em, dept, referral.requestId);
    const packet: ReferralPacket = referral.packetCiphertext
      ? (JSON.parse(this.cipher.decrypt(referral.packetCiphertext, packetPlace(dept, referral.id))) as ReferralPacket)
      : {};
    const result = await this.route(
      em,
      dept,
      {
        requestId: referral.requestId,
        triageId: referral.triageId ?? undefined,
        personId: referral.personId ?? undefined,
        caseId: referral.caseId ?? undefined,
        needs: referral.needs,
        kinds: referral.kinds,
        urgency: referral.urgency,
        riskLevel: referral.riskLevel as RiskLevel,
        language: referral.language ?? undefined,
        ageRange: referral.ageRange as AgeRange,
        area: referral.area ?? undefined,
        imminentThreatFlag: referral.imminentThreatFlag,
        packet,
        excludeAgencies: tried,
        attempt: referral.attempt + 1,
        reroutedFrom: referral.id,
        count: 1,
      },
      { ...actor, party: 'system' },
    );
    const next = result.referrals[0];
    if (next) await ReferralStore.setReroutedTo(em, dept, referral.id, next.id);
    return result;
  }

  /** SLA breach or escalation: cancel (system) and re-route, and tell the coordinator. */
  async escalate(
    em: EntityManager,
    referral: ReferralRecord,
    reason: 'sla-not-received' | 'sla-not-accepted',
    actor: Actor,
  ) {
    if (!NON_FINAL.includes(referral.status) || referral.slaEscalatedAt || referral.reroutedTo)
      return { deliveries: [] };
    await ReferralStore.alert(em, referral.departmentId, {
      id: newId('alr'),
      kind: reason,
      audience: 'coordinator',
      agencyId: referral.agencyId,
      referralId: referral.id,
      requestId: referral.requestId,
    });
    return this.changeStatus(
      em,
      referral,
      'cancelled',
      { ...actor, party: 'system' },
      { reasonCode: reason, slaEscalated: true },
    );
  }

  private async announce(
    em: EntityManager,
    referral: ReferralRecord,
    from: ReferralStatus,
    to: ReferralStatus,
    actor: Actor,
    detail: { reasonCode?: ReferralReason; outcome?: ReferralOutcome },
    reroutedTo?: string,
  ): Promise<string[]> {
    const dept = referral.departmentId;
    const ctx = { departmentId: dept, correlationId: actor.correlationId, causationId: actor.causationId };
    const open = to === 'received' ? { sla: { acceptBy: referral.acceptBy.toISOString() } } : {};
    const data = {
      referralId: referral.id,
      agencyId: referral.agencyId,
      from,
      to,
      changedBy: actor.party,
      urgency: referral.urgency,
      changedAt: new Date().toISOString(),
      ...(detail.reasonCode ? { reasonCode: detail.reasonCode } : {}),
      ...(detail.outcome ? { outcome: detail.outcome } : {}),
      ...open,
    };
    await this.outbox.append(
      em,
      buildEvent(
        'cit.referral.status-changed.v1',
        referral.id,
        { ...data, ...(referral.caseId ? { caseId: referral.caseId } : {}), ...(reroutedTo ? { reroutedTo } : {}) },
        ctx,
      ),
    );
    // The agency hears of its own referral's changes; the case id only where identity may be shared.
    const partnerEvent: CloudEvent = buildEvent(
      'cit.referral.status-changed.v1',
      referral.id,
      { ...data, ...(referral.caseId && referral.categories.includes('identity') ? { caseId: referral.caseId } : {}) },
      ctx,
    );
    await this.outbox.append(em, partnerEvent, { topic: partnerReferralTopic(referral.agencyId) });
    const delivery = await DeliveryStore.create(em, dept, referral.agencyId, referral.id, partnerEvent);
    return delivery ? [delivery] : [];
  }
}
