import { inspect } from 'node:util';

/**
 * Key bytes that never print: parsed configuration holds keys in this wrapper, so a logged
 * or dumped configuration object shows that a key is present and nothing of it.
 */
export class SecretBytes {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    this.#bytes = Buffer.from(bytes);
  }

  /** Number of bytes (safe to log). */
  get length(): number {
    return this.#bytes.length;
  }

  /** A copy of the bytes, for the cipher or index that needs them. */
  reveal(): Buffer {
    return Buffer.from(this.#bytes);
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return `SecretBytes [redacted, ${this.#bytes.length} bytes]`;
  }
}
