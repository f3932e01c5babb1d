/** Injection tokens of the service chassis. */
export const SERVICE_ENV = Symbol('SERVICE_ENV');
export const SERVICE_DEFINITION = Symbol('SERVICE_DEFINITION');
export const REDIS = Symbol('REDIS');
export const KAFKA = Symbol('KAFKA');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
