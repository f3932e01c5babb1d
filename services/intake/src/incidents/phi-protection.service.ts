import { Injectable } from '@nestjs/common';
import { BlindIndex, FieldCipher } from '@cit/persistence';
import type { PhiProtection } from './incident.mapper';
import { subjectIndexes } from './subject-indexes';

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

  /** Opens a session; keepPlaintext records token → plaintext (single reports answer with the values, imports do not). */
  session({ keepPlaintext = false } = {}): PhiSession {
    const cipher = this.cipher.session();
    const plaintext = new Map<string, string>();
    return {
      plaintext,
      protect: {
        encrypt: (v) => {
          const token = cipher.encrypt(v);
          if (keepPlaintext) plaintext.set(token, v);
          return token;
        },
        personMatch: (n, d) => subjectIndexes(this.blindIndex, n, d, null).personMatchIndex,
        phoneMatch: (n, p) => subjectIndexes(this.blindIndex, n, null, p).personPhoneIndex,
      },
    };
  }
}
