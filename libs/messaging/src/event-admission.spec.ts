import { buildEvent, eventSource, incidentUpdated, type CloudEvent } from '@cit/contracts';
import { anyDepartment, departmentRegistry } from './department-registry';
import { admitEvent } from './event-admission';

const updated = (): CloudEvent =>
  buildEvent('cit.incident.updated.v1', incidentUpdated.example.incidentId, incidentUpdated.example, {
    departmentId: 'dept-a',
    correlationId: 'corr-1',
  });

describe('admitEvent', () => {
  const departments = departmentRegistry(['dept-a']);

  it('admits a contract event from its producer in a known department', () => {
    expect(admitEvent(updated(), 'cit.incident.v1', departments)).toEqual({ ok: true });
    expect(admitEvent(updated(), 'cit.incident.v1', anyDepartment)).toEqual({ ok: true });
  });

  it('refuses a type that does not belong on the topic', () => {
    expect(admitEvent(updated(), 'cit.case.v1', departments)).toMatchObject({ ok: false, reason: 'type-not-on-topic' });
  });

  it('refuses a source that is not the type’s producer', () => {
    const forged = { ...updated(), source: eventSource('referral') };
    expect(admitEvent(forged, 'cit.incident.v1', departments)).toMatchObject({
      ok: false,
      reason: 'source-not-producer',
    });
  });

  it('refuses a department the registry does not list, naming the id', () => {
    const other = { ...updated(), departmentid: 'dept-z' };
    expect(admitEvent(other, 'cit.incident.v1', departments)).toEqual({
      ok: false,
      reason: 'unknown-department',
      error: 'department dept-z is not served here',
    });
  });
});
