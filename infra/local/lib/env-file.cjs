'use strict';
// Writing and reading .local/env-style files. Reading is Node's own parser (util.parseEnv, the one
// process.loadEnvFile uses), so cit.mjs, libs/testing, the dev issuer CLIs and the services agree on
// every value. CommonJS so that jest (.spec.ts) can require it; the .mjs modules import it.
const fs = require('node:fs');
const { parseEnv } = require('node:util');

const KEY = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Serializes variables as an env file that util.parseEnv reads back unchanged; undefined values are
 * left out. Values that need it are quoted with a quote character they do not contain (Node's parser
 * has no escapes, and expands \n inside double quotes, so single quotes come first).
 * @param {Record<string, string | number | undefined | null>} vars
 * @param {string} [header] comment lines at the top
 * @returns {string}
 */
function formatEnvFile(vars, header) {
  const lines = header ? header.split('\n').map((l) => `# ${l}`) : [];
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined || v === null) continue;
    if (!KEY.test(k)) throw new Error(`invalid env key: ${k}`);
    const s = String(v);
    if (/[\n\r]/.test(s)) throw new Error(`env value for ${k} contains a newline`);
    lines.push(`${k}=${quote(k, s)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * @param {string} key
 * @param {string} s
 * @returns {string}
 */
function quote(key, s) {
  if (!/[\s"'`#\\]/.test(s)) return s;
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"') && !s.includes('\\')) return `"${s}"`;
  if (!s.includes('`')) return `\`${s}\``;
  throw new Error(`env value for ${key} contains every quote character`);
}

/**
 * The variables of an env file ({} when it does not exist).
 * @param {string} file
 * @returns {Record<string, string>}
 */
function readEnvFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  return /** @type {Record<string, string>} */ (parseEnv(text));
}

module.exports = { formatEnvFile, readEnvFile };
