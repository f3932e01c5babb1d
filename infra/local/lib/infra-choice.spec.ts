import { chooseInfra } from './infra-choice.cjs';

describe('chooseInfra', () => {
  const linux = (env: Record<string, string>, dockerEngine: boolean) =>
    chooseInfra({ env, dockerEngine, platform: 'linux' });

  it('auto: containers when a Docker engine answers, with a Kafka mock for the fault tests', () => {
    expect(linux({}, true)).toEqual({
      mode: 'docker',
      kafka: 'container',
      faultMock: true,
      reason: 'a Docker engine answers',
    });
    expect(linux({ CIT_INFRA: 'auto' }, true).mode).toBe('docker');
  });

  it('auto: local services and the Kafka mock as the cluster when no engine answers', () => {
    expect(linux({}, false)).toEqual({
      mode: 'local',
      kafka: 'mock',
      faultMock: true,
      reason: 'no Docker engine answers',
    });
  });

  it('CIT_INFRA=local keeps the local services even with an engine', () => {
    expect(linux({ CIT_INFRA: 'local' }, true)).toEqual({
      mode: 'local',
      kafka: 'mock',
      faultMock: true,
      reason: 'CIT_INFRA=local',
    });
  });

  it('CIT_INFRA=docker uses containers, and fails without an engine instead of falling back', () => {
    expect(linux({ CIT_INFRA: 'docker' }, true)).toMatchObject({
      mode: 'docker',
      kafka: 'container',
      reason: 'CIT_INFRA=docker',
    });
    expect(() => linux({ CIT_INFRA: 'docker' }, false)).toThrow(/CIT_INFRA=docker but no Docker engine answers/);
  });

  it('CIT_USE_DOCKER=0 still means local services, unless CIT_INFRA says otherwise', () => {
    expect(linux({ CIT_USE_DOCKER: '0' }, true)).toMatchObject({ mode: 'local', reason: 'CIT_USE_DOCKER=0' });
    expect(linux({ CIT_USE_DOCKER: '0', CIT_INFRA: 'docker' }, true).mode).toBe('docker');
  });

  it('rejects an unknown CIT_INFRA, naming the variable', () => {
    expect(() => linux({ CIT_INFRA: 'podman' }, true)).toThrow(/CIT_INFRA must be one of auto, local, docker/);
  });

  it('CIT_KAFKA_BROKERS is an external Kafka in either mode; locally it has no fault injection', () => {
    expect(linux({ CIT_KAFKA_BROKERS: 'k:9092' }, false)).toMatchObject({
      mode: 'local',
      kafka: 'external',
      faultMock: false,
    });
    expect(linux({ CIT_KAFKA_BROKERS: 'k:9092' }, true)).toMatchObject({
      mode: 'docker',
      kafka: 'external',
      faultMock: true,
    });
  });

  it('outside Linux the containers run without the Kafka mock (its launcher is built from Debian packages)', () => {
    expect(chooseInfra({ env: {}, dockerEngine: true, platform: 'darwin' })).toMatchObject({
      mode: 'docker',
      kafka: 'container',
      faultMock: false,
    });
    expect(chooseInfra({ env: {}, dockerEngine: false, platform: 'darwin' })).toMatchObject({
      mode: 'local',
      kafka: 'mock',
    });
  });
});
