import { Injectable } from '@nestjs/common';
import { BlindIndex, FieldCipher } from '@cit/persistence';
import type { PhiProtection } from './incident.mapper';
import { identityIndexes } from '../persons/person-indexes';

/** A PhiProtection for one unit of work, and the plaintext of every token it made (for a response that needs no decryption). */
export interface PhiSession {
  protect: PhiProtection;
  plaintext: ReadonlyMap<string, string>;
}

/**
 * The one place new incidents get their PHI protection, so single reports and imports encrypt
 * and blind-index alike (imported subjects match reported ones). One data key per session.
 */
@Injectable()
export class IncidentPhiProtection {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
  ) {}

  /** Opens a session of one department; keepPlaintext records token → plaintext (single reports answer with the values, imports do not). */
  session(departmentId: string, { keepPlaintext = false } = {}): PhiSession {
    // One data key per unit of work, bound to its department: a batch never spans departments.
    const cipher = this.cipher.session(departmentId);
    const plaintext = new Map<string, string>();
    // The department's own blind-index keys: the same person indexes differently elsewhere.
    const blindIndex = this.blindIndex.forDepartment(departmentId);
    return {
      plaintext,
      protect: {
        encrypt: (v, place) => {
          const token = cipher.encrypt(v, place);
          if (keepPlaintext) plaintext.set(token, v);
          return token;
        },
        indexes: (n, d, p) => identityIndexes(blindIndex, n, d, p),
      },
    };
  }
}
