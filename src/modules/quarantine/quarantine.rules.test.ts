import fs from 'node:fs';
import path from 'node:path';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/paths.ts';
import { nextQuarantineState } from './quarantine.machine.ts';
import { assess, certificateValidOn, HEALTH_QUESTIONS, ruleSetProblems, ZRuleSet, type Facts, type RuleSet } from './quarantine.rules.ts';

const rules = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'reference-data', 'shandong', 'quarantine-rules.json'), 'utf8')) as {
    document: RuleSet;
  }
).document;
const noAnswers = Object.fromEntries(HEALTH_QUESTIONS.map((q) => [q, false])) as Facts['answers'];
const clean: Facts = {
  answers: noAnswers,
  affected: [],
  sanitationCertificateValid: true,
  lateDeclaration: false,
  feverCount: 0,
  illCount: 0,
  passengers: 0,
  dangerousGoods: false,
  cargoType: 'container',
};

describe('the demo quarantine rule set', () => {
  it('is a valid rule set', () => {
    expect(Value.Check(ZRuleSet, rules)).toBe(true);
    expect(ruleSetProblems(rules)).toEqual([]);
  });

  it('gives a clean ship with a valid certificate radio (telecom) pratique, with no reasons', () => {
    expect(assess(rules, clean)).toEqual({ score: 0, reasons: [], forcedMode: null, proposedMode: 'telecom' });
  });

  it('forces anchorage on any positive health answer, naming the answer', () => {
    for (const q of ['deaths', 'infectiousDisease', 'illPersonsNow', 'sickAnimal'] as const) {
      const a = assess(rules, { ...clean, answers: { ...noAnswers, [q]: true } });
      expect(a.forcedMode, q).toBe('anchorage');
      expect(a.proposedMode, q).toBe('anchorage');
      expect(a.reasons[0]).toMatchObject({ ruleId: 'mdh-health-positive', detail: q });
    }
  });

  it('forces anchorage for a port of call in an affected area, and for fever', () => {
    const area = assess(rules, {
      ...clean,
      affected: [{ locode: 'BRSSZ', areaCode: 'BR', disease: 'yellow-fever', departedAt: '2026-10-20T00:00:00Z' }],
    });
    expect(area).toMatchObject({ forcedMode: 'anchorage', reasons: [{ ruleId: 'affected-area', detail: 'BRSSZ (BR: yellow-fever)' }] });
    expect(assess(rules, { ...clean, feverCount: 1 }).forcedMode).toBe('anchorage');
  });

  it('scores the rest into bands: passengers → smart remote; no certificate and late → berth', () => {
    expect(assess(rules, { ...clean, passengers: 3000 })).toMatchObject({ score: 25, proposedMode: 'smart-remote', forcedMode: null });
    expect(assess(rules, { ...clean, sanitationCertificateValid: false, lateDeclaration: true })).toMatchObject({
      score: 60,
      proposedMode: 'berth',
    });
  });

  it('reports rule-set problems the schema cannot see', () => {
    const broken: RuleSet = {
      ...rules,
      rules: [rules.rules[0] as RuleSet['rules'][number], rules.rules[0] as RuleSet['rules'][number]],
      modeByScore: [
        { maxScore: 10, mode: 'telecom' },
        { maxScore: 5, mode: 'berth' },
      ],
    };
    expect(ruleSetProblems(broken).map((p) => p.path)).toEqual(['/document/rules/1/id', '/document/modeByScore/1/maxScore']);
  });
});

describe('sanitation certificate validity (12 months)', () => {
  it('holds from the issue date to the day before the same date a year later', () => {
    expect(certificateValidOn('2025-11-03', new Date('2026-11-02T23:00:00Z'), 12)).toBe(true);
    expect(certificateValidOn('2025-11-03', new Date('2026-11-03T00:00:00Z'), 12)).toBe(false);
    expect(certificateValidOn('2026-12-01', new Date('2026-11-03T00:00:00Z'), 12)).toBe(false);
  });
});

describe('the quarantine machine', () => {
  it('lets each mode take only its own path to pratique', () => {
    expect(nextQuarantineState('mode-assigned', 'grant-pratique', 'telecom')).toBe('pratique-granted');
    expect(nextQuarantineState('mode-assigned', 'grant-pratique', 'smart-remote')).toBeNull();
    expect(nextQuarantineState('mode-assigned', 'start-remote-session', 'smart-remote')).toBe('remote-session');
    expect(nextQuarantineState('mode-assigned', 'start-remote-session', 'anchorage')).toBeNull();
    expect(nextQuarantineState('remote-session', 'escalate', 'smart-remote')).toBe('boarding');
    expect(nextQuarantineState('mode-assigned', 'start-boarding', 'anchorage')).toBe('boarding');
    expect(nextQuarantineState('mode-assigned', 'assign-mode', 'telecom')).toBeNull();
    expect(nextQuarantineState('pratique-granted', 'assign-mode', 'smart-remote')).toBeNull();
  });
});
