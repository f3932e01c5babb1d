import { modelEffects } from './program-settings';
import type { DepartmentProgram } from './program-settings.service';

/** GET/PUT /v1/program answer: the settings, their version and what the model changes in the flow. */
export function programView(departmentId: string, p: DepartmentProgram) {
  return {
    departmentId,
    ...p.settings,
    effects: modelEffects(p.settings.model),
    version: p.version,
    isDefault: p.isDefault,
    updatedBy: p.updatedBy,
    updatedAt: p.updatedAt?.toISOString() ?? null,
  };
}
