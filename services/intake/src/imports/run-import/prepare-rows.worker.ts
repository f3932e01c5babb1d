/**
 * Worker thread of the bulk import: prepares rows (parse, validate, encrypt, blind-index, COPY
 * lines, event) off the event loop. Started by ImportWorkers with the key material in
 * workerData; holds no database connection and writes nothing. Errors are reported by name
 * only: a message could quote row content.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BlindIndex, FieldCipher, type BlindIndexSettings } from '@cit/persistence';
import type { PhiProtection } from '../../incidents/incident.mapper';
import { subjectIndexes } from '../../incidents/subject-indexes';
import { prepareImportRow, type PrepareContext, type RawRow, type RowOutcome } from './row-preparation';

/** Key material, as raw bytes (SecretBytes do not cross threads). */
export interface PrepareWorkerData {
  phiKeys: [string, Uint8Array][];
  activeKeyId: string;
  /** Blind-index keys and rotation state (BlindIndex.settings()). */
  blindIndex: BlindIndexSettings;
}

/** One task: rows of one import in line order, with what they share. */
export interface PrepareTask {
  ctx: PrepareContext;
  /** created_at of the rows (epoch ms). */
  now: number;
  rows: RawRow[];
}

export type PrepareResult = RowOutcome[];

const data = workerData as PrepareWorkerData;
const cipher = FieldCipher.fromConfig({
  keys: new Map(data.phiKeys.map(([kid, bytes]) => [kid, Buffer.from(bytes)])),
  activeKeyId: data.activeKeyId,
});
const blindIndex = BlindIndex.fromSettings(data.blindIndex);

parentPort!.on('message', ({ id, input }: { id: number; input: PrepareTask }) => {
  try {
    // One data key per task, as IncidentPhiProtection.session() does per unit of work; same blind indexes.
    const session = cipher.session(input.ctx.departmentId);
    const protect: PhiProtection = {
      encrypt: (v, place) => session.encrypt(v, place),
      indexes: (n, d, p) => subjectIndexes(blindIndex, input.ctx.departmentId, n, d, p),
    };
    const now = new Date(input.now);
    const output: PrepareResult = input.rows.map((row) => prepareImportRow(row, input.ctx, protect, now));
    parentPort!.postMessage({ id, output });
  } catch (err) {
    parentPort!.postMessage({ id, error: `preparation failed (${err instanceof Error ? err.name : 'error'})` });
  }
});
