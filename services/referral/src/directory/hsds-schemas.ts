// The vendored HSDS 3.1 JSON Schemas (see hsds-3.1/README.md), imported so the build copies them.
import accessibility from './hsds-3.1/accessibility.json';
import address from './hsds-3.1/address.json';
import attribute from './hsds-3.1/attribute.json';
import contact from './hsds-3.1/contact.json';
import costoption from './hsds-3.1/cost_option.json';
import funding from './hsds-3.1/funding.json';
import language from './hsds-3.1/language.json';
import location from './hsds-3.1/location.json';
import metatabledescription from './hsds-3.1/meta_table_description.json';
import metadata from './hsds-3.1/metadata.json';
import organization from './hsds-3.1/organization.json';
import organizationidentifier from './hsds-3.1/organization_identifier.json';
import phone from './hsds-3.1/phone.json';
import program from './hsds-3.1/program.json';
import requireddocument from './hsds-3.1/required_document.json';
import schedule from './hsds-3.1/schedule.json';
import service from './hsds-3.1/service.json';
import servicearea from './hsds-3.1/service_area.json';
import serviceatlocation from './hsds-3.1/service_at_location.json';
import servicecapacity from './hsds-3.1/service_capacity.json';
import taxonomy from './hsds-3.1/taxonomy.json';
import taxonomyterm from './hsds-3.1/taxonomy_term.json';
import unit from './hsds-3.1/unit.json';
import url from './hsds-3.1/url.json';

/** Every HSDS 3.1 schema file by name; their $refs name each other by file name. */
export const HSDS_SCHEMAS: readonly [string, object][] = [
  ['accessibility.json', accessibility],
  ['address.json', address],
  ['attribute.json', attribute],
  ['contact.json', contact],
  ['cost_option.json', costoption],
  ['funding.json', funding],
  ['language.json', language],
  ['location.json', location],
  ['meta_table_description.json', metatabledescription],
  ['metadata.json', metadata],
  ['organization.json', organization],
  ['organization_identifier.json', organizationidentifier],
  ['phone.json', phone],
  ['program.json', program],
  ['required_document.json', requireddocument],
  ['schedule.json', schedule],
  ['service.json', service],
  ['service_area.json', servicearea],
  ['service_at_location.json', serviceatlocation],
  ['service_capacity.json', servicecapacity],
  ['taxonomy.json', taxonomy],
  ['taxonomy_term.json', taxonomyterm],
  ['unit.json', unit],
  ['url.json', url],
];
