/**
 * Development key material must never protect production data: it is published (the compose
 * development env file, the former compose defaults) or sits unencrypted in a developer's
 * checkout. Every such key starts with these bytes: the former compose defaults decode to
 * "DEV-ONLY-...", and infra/local and infra/compose/dev.env generate "DEV-ONLY" + 24 random
 * bytes. A key that starts with them is refused in production wherever it was copied to; the
 * check looks at the bytes and never prints them.
 */
export const DEVELOPMENT_KEY_MARKER = Buffer.from('DEV-ONLY', 'ascii');

/** The variables holding key material: PHI_KEYS style (kid:base64,...) or one base64 key. */
const KEY_VARIABLES = ['PHI_KEYS', 'BLIND_INDEX_KEY', 'BLIND_INDEX_KEYS'] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '0.0.0.0', '::', '::1', '[::1]', '[::]']);

/**
 * True when the bytes cannot be a random key: test fixtures such as Buffer.alloc(32, 7) or
 * 'a'.repeat(32). 32 random bytes hold about 30 distinct values; fewer than 16 happens with
 * probability far below 1e-20.
 */
export function isPatternedKey(key: Buffer): boolean {
  return new Set(key).size < Math.min(16, key.length / 2);
}

/** True when the key bytes carry the development marker. */
export function isDevelopmentKey(key: Buffer): boolean {
  return (
    key.length >= DEVELOPMENT_KEY_MARKER.length &&
    key.subarray(0, DEVELOPMENT_KEY_MARKER.length).equals(DEVELOPMENT_KEY_MARKER)
  );
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    LOOPBACK_HOSTS.has(host) ||
    host.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^\[?::ffff:127\./.test(host)
  );
}

/** Problems of an identity-provider URL in production: https only, never loopback. */
function issuerUrlProblems(name: string, raw: string | undefined): string[] {
  if (!raw) return [`${name} is required`];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [`${name} must be a URL`];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:') problems.push(`${name} must be an https:// URL in production`);
  if (isLoopbackHost(url.hostname)) problems.push(`${name} must not point at a loopback address in production`);
  return problems;
}

/** The key bytes of each entry ("kid:base64" or bare base64), by 1-based position; malformed entries are skipped (the schema names them). */
function keyEntries(raw: string): Array<{ position: number; key: Buffer }> {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const value = entry.includes(':') ? entry.slice(entry.indexOf(':') + 1) : entry;
      return { position: index + 1, key: Buffer.from(value.trim(), 'base64') };
    })
    .filter(({ key }) => key.length > 0);
}

/**
 * What a production boot (NODE_ENV=production) refuses: an http or loopback issuer or JWKS,
 * missing or development key material, no metrics token, a Kafka connection without SASL over
 * TLS. Each problem names the variable, never its value. Empty outside production.
 */
export function productionProblems(env: NodeJS.ProcessEnv): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems = [
    ...issuerUrlProblems('AUTH_ISSUER', env.AUTH_ISSUER),
    ...issuerUrlProblems('AUTH_JWKS_URL', env.AUTH_JWKS_URL),
  ];
  for (const name of KEY_VARIABLES) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (name !== 'BLIND_INDEX_KEYS') problems.push(`${name} is required`);
      continue;
    }
    const entries = keyEntries(raw);
    const single = entries.length === 1 && !raw.includes(',');
    for (const { position, key } of entries) {
      const which = single ? name : `${name} entry ${position}`;
      if (isDevelopmentKey(key)) problems.push(`${which} is a development key, refused in production`);
      else if (isPatternedKey(key)) problems.push(`${which} is not a random key, refused in production`);
    }
  }
  if (!env.METRICS_TOKEN) problems.push('METRICS_TOKEN is required in production');
  if ((env.KAFKA_SECURITY ?? 'sasl-ssl') !== 'sasl-ssl') problems.push('KAFKA_SECURITY must be sasl-ssl in production');
  if (!env.KAFKA_SASL_MECHANISM) problems.push('KAFKA_SASL_MECHANISM is required in production');
  return problems;
}
