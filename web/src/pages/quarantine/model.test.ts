import { describe, expect, it } from 'vitest';
import type { QuarantineCase } from '../port-calls/types.ts';
import { caseActions, modeOptions, pdfPages, percent, sessionGaps, sha256Hex } from './model.ts';

describe('caseActions', () => {
  it("follows the server's quarantine machine, mode by mode", () => {
    expect(caseActions({ state: 'assessed', mode: null })).toEqual(['mode']);
    expect(caseActions({ state: 'mode-assigned', mode: 'smart-remote' })).toEqual(['mode', 'remote-session']);
    expect(caseActions({ state: 'mode-assigned', mode: 'telecom' })).toEqual(['pratique']);
    expect(caseActions({ state: 'mode-assigned', mode: 'anchorage' })).toEqual(['mode', 'boarding']);
    expect(caseActions({ state: 'remote-session', mode: 'smart-remote' })).toEqual(['remote-findings', 'escalation', 'pratique']);
    expect(caseActions({ state: 'boarding', mode: 'smart-remote' })).toEqual(['pratique']);
    expect(caseActions({ state: 'pratique-granted', mode: 'telecom' })).toEqual([]);
  });
});

describe('modeOptions', () => {
  it('allows only the forced mode and stricter ones', () => {
    expect(modeOptions(null).every((o) => o.allowed)).toBe(true);
    expect(modeOptions('berth')).toEqual([
      { mode: 'telecom', allowed: false },
      { mode: 'smart-remote', allowed: false },
      { mode: 'berth', allowed: true },
      { mode: 'onboard', allowed: true },
      { mode: 'anchorage', allowed: true },
    ]);
  });
});

describe('sessionGaps', () => {
  const session = (over: Partial<NonNullable<QuarantineCase['remoteSession']>>) => ({
    remoteSession: { startedAt: '2026-11-27T00:00:00Z', temperatures: [], medicalLog: null, video: null, ...over },
  });
  it('lists what a remote session lacks before pratique', () => {
    expect(sessionGaps({ remoteSession: null })).toEqual(['noSession']);
    expect(sessionGaps(session({}))).toEqual(['noTemperatures', 'noMedicalLog', 'noVideo']);
    expect(
      sessionGaps(
        session({
          temperatures: [{ person: 'Master', celsius: 38.1 }],
          medicalLog: { fileName: 'log.pdf', sha256: 'a'.repeat(64) },
          video: { satisfactory: false, findings: 'galley dirty' },
        }),
      ),
    ).toEqual(['fever', 'videoUnsatisfactory']);
    expect(
      sessionGaps(
        session({
          temperatures: [{ person: 'Master', celsius: 36.6 }],
          medicalLog: { fileName: 'log.pdf', sha256: 'a'.repeat(64) },
          video: { satisfactory: true, findings: 'ok' },
        }),
      ),
    ).toEqual([]);
  });
});

describe('files and numbers', () => {
  it('hashes bytes with SHA-256 and counts PDF pages', async () => {
    const bytes = new TextEncoder().encode('abc');
    expect(await sha256Hex(bytes.buffer)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page>>');
    expect(pdfPages(pdf.buffer)).toBe(2);
    expect(pdfPages(bytes.buffer)).toBeNull();
    expect(percent(0.4567)).toBe('45.7%');
    expect(percent(null)).toBe('—');
  });
});
