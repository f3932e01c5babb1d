import { hsdsOrganization, hsdsService, type ServiceSpec } from '../directory/hsds-mapping';
import type { OpeningHours } from '../directory/directory.model';

export const ALWAYS: OpeningHours[] = [
  { days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], opens: '00:00', closes: '24:00' },
];

export interface Api {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read field by field
  (method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** A JSON client for the app under test. */
export function apiFor(baseUrl: string): Api {
  return async (method, path, token, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** An HSDS document of agencies, each with one service from a compact spec. */
export function directoryDocument(agencies: { id: string; name: string; service: Omit<ServiceSpec, 'agencyId'> }[]) {
  return {
    organizations: agencies.map((a) => hsdsOrganization(a.id, a.name)),
    services: agencies.map((a) => hsdsService({ ...a.service, agencyId: a.id })),
  };
}
