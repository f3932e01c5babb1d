import type { DataSource } from 'typeorm';
import { CitKafkaTransport } from './cit-kafka.transport';
import type { KafkaClient } from './kafka-client';

describe('CitKafkaTransport', () => {
  const saved = { NODE_ENV: process.env.NODE_ENV, CIT_DEPARTMENTS: process.env.CIT_DEPARTMENTS };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });
  const build = () =>
    new CitKafkaTransport({ kafka: {} as KafkaClient, dataSource: {} as DataSource, groupId: 'cit.test' });

  it('refuses to be built in production without the department registry, naming the variable', () => {
    process.env.NODE_ENV = 'production';
    delete process.env.CIT_DEPARTMENTS;
    expect(build).toThrow(/^CIT_DEPARTMENTS is required when NODE_ENV=production/);
    process.env.CIT_DEPARTMENTS = 'dept-a,not a department';
    expect(build).toThrow('CIT_DEPARTMENTS entry 2 is not a department id');
  });

  it('is built in production with CIT_DEPARTMENTS set', () => {
    process.env.NODE_ENV = 'production';
    process.env.CIT_DEPARTMENTS = 'dept-a,dept-b';
    expect(build()).toBeInstanceOf(CitKafkaTransport);
  });
});
