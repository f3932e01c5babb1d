/** A PHI key configuration variable is missing or malformed; `variable` names it. */
export class KeyRingConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'KeyRingConfigError';
  }
}

/** Why a PHI token could not be processed; messages never include plaintext or key bytes. */
export type PhiCryptoErrorCode = 'MALFORMED_TOKEN' | 'UNKNOWN_KEY' | 'DECRYPT_FAILED' | 'BAD_BINDING';

/** Encryption, decryption or re-wrapping of a PHI token failed. */
export class PhiCryptoError extends Error {
  constructor(
    readonly code: PhiCryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PhiCryptoError';
  }
}
