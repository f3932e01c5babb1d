import { randomBytes } from 'node:crypto';

/** Environment values for PHI encryption in local development. */
export interface DevKeyMaterial {
  PHI_KEYS: string;
  PHI_ACTIVE_KEY_ID: string;
  BLIND_INDEX_KEY: string;
}

/** Fresh random keys for .local/env (one KEK, one blind-index key); never for production. */
export function generateDevKeyMaterial(): DevKeyMaterial {
  const kid = 'dev1';
  return {
    PHI_KEYS: `${kid}:${randomBytes(32).toString('base64')}`,
    PHI_ACTIVE_KEY_ID: kid,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
}
