/** Injection token: the name of the service that records (intake, triage, ...). */
export const AUDIT_SERVICE_NAME = Symbol('AUDIT_SERVICE_NAME');
