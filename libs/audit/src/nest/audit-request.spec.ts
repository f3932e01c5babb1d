import { RequestValidationError } from '@cit/service-kit';
import { breakGlassReasonFrom, defaultPurposeOfUse, purposeOfUseFrom } from './audit-request';

describe('purpose of use', () => {
  it.each<[string[], string]>([
    [['clinician'], 'treatment'],
    [['coordinator'], 'care-coordination'],
    [['clinician', 'coordinator'], 'treatment'],
    [['officer'], 'operations'],
    [['supervisor'], 'operations'],
    [['admin'], 'operations'],
  ])('defaults by role %j to %s', (roles, purpose) => {
    expect(defaultPurposeOfUse(roles)).toBe(purpose);
    expect(purposeOfUseFrom(undefined, roles)).toBe(purpose);
  });

  it('takes the header when it names a purpose', () => {
    expect(purposeOfUseFrom('care-coordination', ['clinician'])).toBe('care-coordination');
    expect(purposeOfUseFrom(' Operations ', ['clinician'])).toBe('operations');
  });

  it.each(['break-glass', 'marketing', 'treatment;drop'])('refuses %s naming the header, not the value', (value) => {
    try {
      purposeOfUseFrom(value, ['clinician']);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(RequestValidationError);
      expect((err as RequestValidationError).errors[0]!.field).toBe('CIT-Purpose-Of-Use');
    }
  });
});

describe('break-glass reason', () => {
  it('is trimmed; blank is no reason', () => {
    expect(breakGlassReasonFrom('  covering sector 5  ')).toBe('covering sector 5');
    expect(breakGlassReasonFrom('   ')).toBeUndefined();
    expect(breakGlassReasonFrom(undefined)).toBeUndefined();
  });

  it('refuses overlong or control-character reasons without echoing them', () => {
    expect(() => breakGlassReasonFrom('x'.repeat(1001))).toThrow(RequestValidationError);
    try {
      breakGlassReasonFrom('Jane Doe\u0007');
    } catch (err) {
      expect(JSON.stringify((err as RequestValidationError).errors)).not.toContain('Jane');
    }
  });
});
