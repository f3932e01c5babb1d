import type { FieldError } from '@cit/service-kit';
import type { RecordOutcomeRequest } from './record-outcome/record-outcome.request';

/**
 * The field errors of an outcome against the case's filter-2 selection: the lead and the
 * assisting agencies must be among the agencies the table selected (only they hold the
 * identity), the lead is not also assisting, and each action item is owned by one of them (a valid one) and
 * due after `now`. Empty when the outcome is acceptable.
 */
export function outcomeFieldErrors(req: RecordOutcomeRequest, selected: ReadonlySet<string>, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (!selected.has(req.leadAgencyId))
    errors.push({ field: 'leadAgencyId', detail: 'must be an agency the table selected for this case (filter 2)' });
  req.assistingAgencyIds.forEach((id, i) => {
    if (!selected.has(id))
      errors.push({
        field: `assistingAgencyIds.${i}`,
        detail: 'must be an agency the table selected for this case (filter 2)',
      });
    else if (id === req.leadAgencyId)
      errors.push({ field: `assistingAgencyIds.${i}`, detail: 'the lead agency is not also an assisting agency' });
  });
  const planning = new Set([req.leadAgencyId, ...req.assistingAgencyIds].filter((id) => selected.has(id)));
  req.actionItems.forEach((item, i) => {
    if (!planning.has(item.ownerAgencyId))
      errors.push({ field: `actionItems.${i}.ownerAgencyId`, detail: 'must be the lead or an assisting agency' });
    if (Date.parse(item.dueAt) <= now.getTime())
      errors.push({ field: `actionItems.${i}.dueAt`, detail: 'must be in the future' });
  });
  return errors;
}
