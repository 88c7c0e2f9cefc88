/** The quarantine pages' rules, without React: which officer steps a case admits, allowed modes, KPI display, file hashing. */
import { QUARANTINE_MODES, type QuarantineCase } from '../port-calls/types.ts';

export type CaseAction = 'mode' | 'remote-session' | 'remote-findings' | 'escalation' | 'boarding' | 'pratique';

const REMOTE = ['smart-remote'];
const BOARDING = ['berth', 'onboard', 'anchorage'];

/** Mirrors the server's quarantine machine (quarantine.machine.ts); the server still decides. */
export const caseActions = (c: Pick<QuarantineCase, 'state' | 'mode'>): CaseAction[] => {
  const mode = c.mode ?? '';
  switch (c.state) {
    case 'assessed':
      return ['mode'];
    case 'mode-assigned':
      return [
        ...(mode !== 'telecom' ? (['mode'] as const) : []),
        ...(REMOTE.includes(mode) ? (['remote-session'] as const) : []),
        ...(BOARDING.includes(mode) ? (['boarding'] as const) : []),
        ...(mode === 'telecom' ? (['pratique'] as const) : []),
      ];
    case 'remote-session':
      return ['remote-findings', 'escalation', 'pratique'];
    case 'boarding':
      return ['pratique'];
    default:
      return [];
  }
};

/** The modes an officer may choose: none less strict than the forced one (the server refuses those). */
export const modeOptions = (forced: string | null): { mode: string; allowed: boolean }[] => {
  const floor = forced === null ? 0 : Math.max(0, (QUARANTINE_MODES as readonly string[]).indexOf(forced));
  return QUARANTINE_MODES.map((mode, i) => ({ mode, allowed: i >= floor }));
};

/** What the remote session still lacks before it may pass (the server's remoteSessionGaps, for the officer to see before trying). */
export const sessionGaps = (c: Pick<QuarantineCase, 'remoteSession'>, feverCelsius = 37.3): string[] => {
  const s = c.remoteSession;
  if (s === null) {
    return ['noSession'];
  }
  const gaps: string[] = [];
  if (s.temperatures.length === 0) {
    gaps.push('noTemperatures');
  }
  if (s.temperatures.some((x) => x.celsius >= feverCelsius)) {
    gaps.push('fever');
  }
  if (s.medicalLog === null) {
    gaps.push('noMedicalLog');
  }
  if (s.video === null) {
    gaps.push('noVideo');
  } else if (!s.video.satisfactory) {
    gaps.push('videoUnsatisfactory');
  }
  return gaps;
};

/** A share (0–1) as a whole percentage, '—' when there is nothing to share. */
export const percent = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);

/** SHA-256 of a file's bytes as 64 hex digits (crypto.subtle, in the browser). */
export const sha256Hex = async (data: ArrayBuffer): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
};

/** Pages of a PDF, counted from its page objects; null for other files (the officer may type it). */
export const pdfPages = (data: ArrayBuffer): number | null => {
  const text = new TextDecoder('latin1').decode(data);
  if (!text.startsWith('%PDF')) {
    return null;
  }
  const n = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  return n > 0 ? n : null;
};
