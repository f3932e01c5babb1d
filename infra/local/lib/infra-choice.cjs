'use strict';
// Which infrastructure `cit up` provides: the local services (PostgreSQL and Redis from Debian
// packages, the Kafka-protocol mock) or containers started with testcontainers. A pure function so
// that every branch is unit-tested on machines without a Docker engine. CommonJS for jest.

const MODES = ['auto', 'local', 'docker'];

/**
 * @typedef {{
 *   mode: 'local' | 'docker',
 *   kafka: 'mock' | 'container' | 'external',
 *   faultMock: boolean,
 *   reason: string,
 * }} InfraChoice
 * mode: where PostgreSQL and Redis come from; kafka: what KAFKA_BROKERS points at; faultMock: whether
 * a Kafka-protocol mock with fault injection runs (KAFKA_MOCK_BROKERS / KAFKA_MOCK_CONTROL).
 */

/**
 * Chooses the infrastructure from CIT_INFRA (auto|local|docker, default auto), the older
 * CIT_USE_DOCKER=0, CIT_KAFKA_BROKERS (an external Kafka), whether a Docker engine answers, and the
 * platform (the mock launcher is built from Debian packages, so only on Linux).
 * @param {{ env: Record<string, string | undefined>, dockerEngine: boolean, platform: string }} input
 * @returns {InfraChoice}
 */
function chooseInfra({ env, dockerEngine, platform }) {
  const requested = (env.CIT_INFRA || 'auto').trim().toLowerCase();
  if (!MODES.includes(requested)) throw new Error(`CIT_INFRA must be one of ${MODES.join(', ')}`);
  const external = Boolean(env.CIT_KAFKA_BROKERS);
  const local = (/** @type {string} */ reason) => ({
    mode: /** @type {const} */ ('local'),
    kafka: external ? /** @type {const} */ ('external') : /** @type {const} */ ('mock'),
    // The mock is then the main cluster; an external Kafka has no fault injection.
    faultMock: !external,
    reason,
  });
  const docker = (/** @type {string} */ reason) => ({
    mode: /** @type {const} */ ('docker'),
    kafka: external ? /** @type {const} */ ('external') : /** @type {const} */ ('container'),
    // Real Kafka cannot take its brokers down on request: the fault tests keep a mock of their own.
    faultMock: platform === 'linux',
    reason,
  });

  if (requested === 'local') return local('CIT_INFRA=local');
  if (requested === 'docker') {
    if (!dockerEngine)
      throw new Error('CIT_INFRA=docker but no Docker engine answers (start Docker, or use CIT_INFRA=auto|local)');
    return docker('CIT_INFRA=docker');
  }
  if (env.CIT_USE_DOCKER === '0') return local('CIT_USE_DOCKER=0');
  return dockerEngine ? docker('a Docker engine answers') : local('no Docker engine answers');
}

module.exports = { chooseInfra };
