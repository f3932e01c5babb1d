import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import {
  cursorPage,
  decodeCursor,
  encodeCursor,
  ProblemException,
  ProblemType,
  RequestValidationError,
} from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { partnerView } from '../referral-views';
import { ReferralStore } from '../referral.store';
import type { PartnerReferralsQuery } from './partner-referrals.query';

const cursorShape = z.tuple([z.string().regex(/^[0-9]{1,19}$/)]);

/** The pull channel: the calling agency's referrals only, oldest first, keyset paging on the referral sequence. */
@Injectable()
export class PartnerReferralsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  async list(q: PartnerReferralsQuery, p: Principal) {
    let after = '0';
    if (q.cursor) {
      const key = decodeCursor(q.cursor, cursorShape);
      if (!key)
        throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
      after = key[0];
    }
    const rows = await tenantTransaction(this.dataSource, p.departmentId, (em) =>
      ReferralStore.forAgency(em, p.departmentId, p.agencyId!, after, q.limit + 1),
    );
    return cursorPage(
      rows,
      q.limit,
      (last) => encodeCursor([String(last.seq)]),
      (r) => partnerView(this.cipher, r),
    );
  }

  async get(id: string, p: Principal) {
    const r = await tenantTransaction(this.dataSource, p.departmentId, (em) =>
      ReferralStore.get(em, p.departmentId, id),
    );
    // Another agency's referral is indistinguishable from a missing one.
    if (!r || r.agencyId !== p.agencyId) throw new ProblemException(ProblemType.notFound, 404, 'Not found');
    return partnerView(this.cipher, r);
  }
}
