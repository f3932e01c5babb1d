import { anyDepartment, departmentRegistry, departmentRegistryFromEnv } from './department-registry';

const silent = () => ({
  lines: [] as string[],
  info() {},
  debug() {},
  error() {},
  warn(_o: object, msg?: string) {
    this.lines.push(msg ?? '');
  },
});

describe('department registry', () => {
  it('knows exactly the configured departments', () => {
    const registry = departmentRegistryFromEnv({ CIT_DEPARTMENTS: 'dept-a, dept-b' }, silent());
    expect(registry.configured).toBe(true);
    expect(registry.has('dept-a')).toBe(true);
    expect(registry.has('dept-b')).toBe(true);
    expect(registry.has('dept-c')).toBe(false);
    expect(registry.has('dept-a ')).toBe(false);
  });

  it('is required in production, naming the variable', () => {
    expect(() => departmentRegistryFromEnv({ NODE_ENV: 'production' }, silent())).toThrow(
      /^CIT_DEPARTMENTS is required when NODE_ENV=production/,
    );
    expect(() => departmentRegistryFromEnv({ NODE_ENV: 'production', CIT_DEPARTMENTS: ' ' }, silent())).toThrow(
      /CIT_DEPARTMENTS is required/,
    );
  });

  it('refuses a malformed entry by position, never quoting it', () => {
    const attempt = () => departmentRegistryFromEnv({ CIT_DEPARTMENTS: 'dept-a,Jane Doe' }, silent());
    expect(attempt).toThrow('CIT_DEPARTMENTS entry 2 is not a department id');
    expect(attempt).not.toThrow(/Jane/);
    expect(() => departmentRegistryFromEnv({ CIT_DEPARTMENTS: 'dept-a,,dept-b' }, silent())).toThrow(/entry 2/);
    expect(() => departmentRegistry([])).toThrow('CIT_DEPARTMENTS must list at least one department id');
  });

  it('accepts every department outside production when unset, and says so once per process', () => {
    const log = silent();
    expect(departmentRegistryFromEnv({ NODE_ENV: 'test' }, log)).toBe(anyDepartment);
    expect(departmentRegistryFromEnv({}, log)).toBe(anyDepartment);
    expect(anyDepartment.configured).toBe(false);
    expect(anyDepartment.has('whatever')).toBe(true);
    expect(log.lines.filter((l) => l.includes('CIT_DEPARTMENTS is not set'))).toHaveLength(1);
  });
});
