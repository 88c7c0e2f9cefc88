import type { FieldError } from '../../api/client.ts';
import { isoToWall, wallToIso } from '../port-calls/model.ts';
import type { GateCheck, Instruction } from './types.ts';

/** An instruction's meaning in the user's language, the other one beside it for the terminal's records. */
export const meaningIn = (meaning: Instruction['meaning'], lang: string): { main: string; other: string } =>
  lang.startsWith('zh') ? { main: meaning.zh, other: meaning.en } : { main: meaning.en, other: meaning.zh };

export type AckState = 'pending' | 'applied' | 'rejected';
export const ackState = (i: Pick<Instruction, 'acknowledgement'>): AckState => i.acknowledgement?.status ?? 'pending';

/** Server details on a flat form: the first path segment when the form has that field, else a general message. */
export const fieldErrors = (
  details: FieldError[],
  known: readonly string[],
): { fields: { name: string; errors: string[] }[]; general: string[] } => {
  const fields = new Map<string, string[]>();
  const general: string[] = [];
  for (const d of details) {
    const name = d.path.split('/').filter((s) => s !== '')[0];
    if (name !== undefined && known.includes(name)) {
      fields.set(name, [...(fields.get(name) ?? []), d.message]);
    } else {
      general.push(d.path === '' || d.path === '/' ? d.message : `${d.path}: ${d.message}`);
    }
  }
  return { fields: [...fields].map(([name, errors]) => ({ name, errors })), general };
};

/** A container number as the gate types it: no spaces or hyphens, upper case. */
export const normaliseBox = (s: string): string => s.replace(/[\s-]/g, '').toUpperCase();

export type CheckEntry = { at: string; result: GateCheck };

/** This session's checks, newest first, at most `max`. */
export const addCheck = (list: CheckEntry[], entry: CheckEntry, max = 20): CheckEntry[] => [entry, ...list].slice(0, max);

const KEY = 'portcluster.gate-checks';

export const loadChecks = (storage: Pick<Storage, 'getItem'> | undefined): CheckEntry[] => {
  try {
    const raw = storage?.getItem(KEY) ?? null;
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as CheckEntry[]) : [];
  } catch {
    return [];
  }
};

export const saveChecks = (storage: Pick<Storage, 'setItem'> | undefined, list: CheckEntry[]): void => {
  try {
    storage?.setItem(KEY, JSON.stringify(list));
  } catch {
    // a full or blocked storage only loses the history
  }
};

/** 'YYYY-MM-DDTHH:mm:ss' on a clock in `timeZone` → ISO instant: send times order instructions, so seconds count. */
export const wallSecondsToIso = (wall: string, timeZone: string): string => {
  const seconds = Number(/^.{16}:(\d{2})/.exec(wall)?.[1] ?? 0);
  return new Date(Date.parse(wallToIso(wall.slice(0, 16), timeZone)) + seconds * 1000).toISOString();
};

/** An instant as 'YYYY-MM-DDTHH:mm:ss' on a clock in `timeZone` (a picker's value). */
export const isoToWallSeconds = (iso: string, timeZone: string): string =>
  `${isoToWall(iso, timeZone)}:${String(new Date(iso).getUTCSeconds()).padStart(2, '0')}`;
