import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { NominationIdentity } from '../nomination-identity';
import { openNominationExists } from '../nomination-problems';
import { actorOf, requestSchedulingContext } from '../nomination.record';
import { NominationWriter } from '../nomination-writer.service';
import type { PartnerNominationRequest, StaffNominationRequest } from './nomination.request';

/** What a created nomination answers: ids and state only. */
export interface NominationCreated {
  nominationId: string;
  status: 'open';
  privacyStage: 'de-identified';
}

/** Partner and staff nominations: open at once (the nominator is accountable), one open per person. */
@Injectable()
export class SubmitNominationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: NominationIdentity,
    private readonly writer: NominationWriter,
    private readonly audit: AuditTrail,
  ) {}

  async fromStaff(req: StaffNominationRequest, principal: Principal): Promise<NominationCreated> {
    return this.submit(req, principal, 'staff', req.personId ? 'personId' : 'name');
  }

  async fromPartner(req: PartnerNominationRequest, principal: Principal): Promise<NominationCreated> {
    return this.submit(req, principal, 'partner', 'name');
  }

  private async submit(
    req: StaffNominationRequest | PartnerNominationRequest,
    principal: Principal,
    source: 'staff' | 'partner',
    identityField: string,
  ): Promise<NominationCreated> {
    const departmentId = principal.departmentId;
    const person = this.identity.protect(departmentId, req);
    const by = actorOf(principal);
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      if (source === 'partner') await assertMemberAgency(em, departmentId, principal.agencyId!);
      const existing = await this.writer.openNominationOf(em, departmentId, person.personKeys);
      if (existing) throw openNominationExists(identityField);
      const ctx = requestSchedulingContext(departmentId);
      const nominationId = await this.writer.insert(em, ctx, {
        id: person.nominationId,
        personKey: person.personKey,
        personId: person.personId,
        triageCaseId: 'triageCaseId' in req ? (req.triageCaseId ?? null) : null,
        source,
        sourceAgencyId: principal.agencyId ?? null,
        submittedBy: by,
        seriesKind: req.seriesKind ?? null,
        status: 'open',
        riskLevel: req.riskLevel,
        riskFactors: req.riskFactors,
        ageRange: person.ageRange,
        gender: req.gender,
        reasonCode: req.reasonCode,
        nameCiphertext: person.nameCiphertext,
        birthDateCiphertext: person.birthDateCiphertext,
        reasonTextCiphertext: this.identity.encrypt(person, 'reason_text_ciphertext', req.reasonText),
        contactCiphertext: this.identity.encrypt(person, 'contact_ciphertext', req.callbackContact),
      });
      const context = currentAuditContext();
      if (context) {
        await this.audit.append(em, context, [
          {
            action: 'create',
            recordType: 'nomination',
            recordId: nominationId,
            personIds: person.personId ? [person.personId] : [],
            fields: [...person.fields, 'reasonText', ...(req.callbackContact ? ['contact'] : [])],
          },
        ]);
      }
      return { nominationId, status: 'open', privacyStage: 'de-identified' };
    });
  }
}

/** 403 unless the agency sits at one of the department's tables (conference_series_member). */
export async function assertMemberAgency(em: EntityManager, departmentId: string, agencyId: string): Promise<void> {
  const rows: unknown[] = await em.query(
    `SELECT 1 FROM conference_series_member m
       JOIN conference_series s ON s.department_id = m.department_id AND s.id = m.series_id AND s.status = 'active'
      WHERE m.department_id = $1 AND m.agency_id = $2 LIMIT 1`,
    [departmentId, agencyId],
  );
  if (rows.length === 0) {
    throw new ProblemException(
      ProblemType.forbidden,
      HttpStatus.FORBIDDEN,
      'Forbidden',
      'Only member agencies of the department’s case conferences may nominate.',
    );
  }
}
