// The demo department's partner directory (HSDS 3.1) and MOUs: the kinds of partners a Metro
// Boston CIT program works with, each under one of the MOU templates.
import { hsdsOrganization, hsdsService, type ServiceSpec } from './directory/hsds-mapping';
import type { OpeningHours } from './directory/directory.model';
import type { MouTemplate } from './mous/mou.model';

const WEEKDAYS_9_TO_5: OpeningHours[] = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opens: '09:00', closes: '17:00' }];
const ALWAYS: OpeningHours[] = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], opens: '00:00', closes: '24:00' }];

export interface DemoAgency {
  id: string;
  name: string;
  template: MouTemplate;
  services: Omit<ServiceSpec, 'agencyId'>[];
}

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    id: 'metro-mobile-crisis',
    name: 'Metro Community Behavioral Health Center — Mobile Crisis Intervention',
    template: 'emergency-service-provider',
    services: [
      {
        key: 'mci-adult',
        name: 'Adult Mobile Crisis Intervention',
        kind: 'mobile-crisis',
        needs: ['mental-health', 'substance-use', 'trauma', 'developmental-disability'],
        languages: ['en', 'es', 'pt'],
        minAge: 18,
        afterHours: true,
        policeDropOff: true,
        lessensImminentThreat: true,
        hours: ALWAYS,
        available: 4,
        maximum: 6,
        phone: '+1-617-555-0100',
      },
      {
        key: 'mci-youth',
        name: 'Youth Mobile Crisis Intervention',
        kind: 'mobile-crisis',
        needs: ['mental-health', 'youth', 'trauma', 'family-support'],
        languages: ['en', 'es'],
        maxAge: 20,
        afterHours: true,
        lessensImminentThreat: true,
        hours: ALWAYS,
        available: 2,
        maximum: 4,
      },
    ],
  },
  {
    id: 'metro-esp',
    name: 'Metro Emergency Service Provider',
    template: 'emergency-service-provider',
    services: [
      {
        key: 'esp',
        name: 'Emergency Services Program evaluation',
        kind: 'emergency-service-provider',
        needs: ['mental-health', 'substance-use'],
        languages: ['en', 'ht'],
        afterHours: true,
        policeDropOff: true,
        lessensImminentThreat: true,
        hours: ALWAYS,
        available: 3,
        maximum: 5,
      },
    ],
  },
  {
    id: 'harbor-recovery',
    name: 'Harbor Recovery Coaches (CLEAR)',
    template: 'community-organization',
    services: [
      {
        key: 'coaches',
        name: 'Recovery coaching and overdose follow-up',
        kind: 'recovery-coach',
        needs: ['substance-use', 'overdose-follow-up'],
        languages: ['en', 'es'],
        minAge: 16,
        hours: WEEKDAYS_9_TO_5,
        available: 6,
        maximum: 10,
      },
    ],
  },
  {
    id: 'harbor-detox',
    name: 'Harbor Acute Treatment Services (detox)',
    template: 'community-organization',
    services: [
      {
        key: 'ats',
        name: 'Acute treatment services',
        kind: 'detox',
        needs: ['substance-use'],
        minAge: 18,
        afterHours: true,
        policeDropOff: true,
        hours: ALWAYS,
        available: 2,
        maximum: 24,
      },
    ],
  },
  {
    id: 'northside-housing',
    name: 'Northside Housing Stabilization Services',
    template: 'community-action-agency',
    services: [
      {
        key: 'stabilization',
        name: 'Housing stabilization',
        kind: 'housing',
        needs: ['housing', 're-entry'],
        languages: ['en', 'es', 'zh'],
        hours: WEEKDAYS_9_TO_5,
        available: 8,
        maximum: 20,
      },
    ],
  },
  {
    id: 'northside-shelter',
    name: 'Northside Emergency Shelter',
    template: 'community-organization',
    services: [
      {
        key: 'shelter',
        name: 'Emergency shelter beds',
        kind: 'shelter',
        needs: ['housing'],
        minAge: 18,
        afterHours: true,
        policeDropOff: true,
        hours: ALWAYS,
        available: 5,
        maximum: 40,
      },
    ],
  },
  {
    id: 'elder-services',
    name: 'Demo County Elder Protective Services',
    template: 'community-organization',
    services: [
      {
        key: 'eps',
        name: 'Elder protective services',
        kind: 'elder-services',
        needs: ['elder', 'family-support'],
        minAge: 60,
        hours: WEEKDAYS_9_TO_5,
        available: 3,
        maximum: 10,
      },
    ],
  },
  {
    id: 'dmh-community',
    name: 'DMH Community Services — Metro Site Office',
    template: 'community-organization',
    services: [
      {
        key: 'acs',
        name: 'Adult community clinical services',
        kind: 'dmh-community-provider',
        needs: ['mental-health', 'developmental-disability'],
        minAge: 18,
        hours: WEEKDAYS_9_TO_5,
        available: 4,
        maximum: 12,
      },
    ],
  },
  {
    id: 'metro-youth-services',
    name: 'Metro Youth Services — Family Resource Center',
    template: 'community-organization',
    services: [
      {
        key: 'youth-outreach',
        name: 'Youth outreach and family stabilization',
        kind: 'other',
        needs: ['youth', 'family-support', 'mental-health'],
        languages: ['en', 'es', 'pt'],
        maxAge: 24,
        hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opens: '10:00', closes: '20:00' }],
        available: 6,
        maximum: 12,
      },
    ],
  },
  {
    id: 'demo-action',
    name: 'Demo City Community Action Agency',
    template: 'community-action-agency',
    services: [
      {
        key: 'basic',
        name: 'Fuel, food and benefits assistance',
        kind: 'community-action-agency',
        needs: ['housing', 'family-support'],
        languages: ['en', 'es', 'vi'],
        hours: WEEKDAYS_9_TO_5,
        available: 10,
        maximum: 30,
      },
    ],
  },
  {
    id: 'demo-schools',
    name: 'Demo City Public Schools — Student Support',
    template: 'community-organization',
    services: [
      {
        key: 'counseling',
        name: 'School adjustment counseling',
        kind: 'school',
        needs: ['youth', 'mental-health', 'family-support'],
        maxAge: 21,
        hours: WEEKDAYS_9_TO_5,
        available: 5,
        maximum: 10,
      },
    ],
  },
  {
    id: 'dcf-area-office',
    name: 'Department of Children and Families — Area Office',
    template: 'community-organization',
    services: [
      {
        key: 'intake',
        name: 'Child welfare intake',
        kind: 'dcf',
        needs: ['youth', 'family-support'],
        maxAge: 17,
        afterHours: true,
        hours: ALWAYS,
        available: 3,
        maximum: 6,
      },
    ],
  },
  {
    id: 'district-probation',
    name: 'District Court Probation Department',
    template: 'trial-court-probation',
    services: [
      {
        key: 'probation',
        name: 'Probation officer notification',
        kind: 'probation',
        needs: ['re-entry'],
        minAge: 17,
        hours: WEEKDAYS_9_TO_5,
        available: 20,
        maximum: 20,
      },
    ],
  },
];

/** The HSDS 3.1 document of the demo directory. */
export function demoDirectoryDocument() {
  return {
    organizations: DEMO_AGENCIES.map((a) => hsdsOrganization(a.id, a.name)),
    services: DEMO_AGENCIES.flatMap((a) => a.services.map((s) => hsdsService({ ...s, agencyId: a.id }))),
  };
}
