// The partner directory as routing sees it: one HSDS 3.1 service of a partner organization,
// reduced to what the rules compare. Plain TypeScript (no framework imports).

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Kinds of partner programs the demo directory names (an HSDS attribute of the CIT taxonomy). */
export const SERVICE_KINDS = [
  'mobile-crisis',
  'emergency-service-provider',
  'shelter',
  'detox',
  'recovery-coach',
  'dmh-community-provider',
  'community-action-agency',
  'school',
  'dcf',
  'probation',
  'elder-services',
  'housing',
  'other',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Regular opening hours in the department's time zone ('HH:MM', closes after opens; 24:00 allowed). */
export interface OpeningHours {
  days: Weekday[];
  opens: string;
  closes: string;
}

export interface Capacity {
  available: number;
  maximum: number | null;
  updatedAt: string;
}

/** Area code that means the whole department. */
export const ALL_AREAS = 'department-wide';

export interface DirectoryService {
  id: string;
  agencyId: string;
  name: string;
  active: boolean;
  kind: ServiceKind;
  needs: string[];
  /** Districts or sectors served; ALL_AREAS for the whole department. */
  areas: string[];
  /** Primary language subtags spoken without interpretation (e.g. en, es, pt). */
  languages: string[];
  minAge: number | null;
  maxAge: number | null;
  afterHours: boolean;
  policeDropOff: boolean;
  /** Can act to lessen a serious and imminent threat (HIPAA 164.512(j) recipient). */
  lessensImminentThreat: boolean;
  hours: OpeningHours[];
  capacity: Capacity | null;
}
