import { describe, expect, it } from 'vitest';
import {
  buildCodeHistory,
  pairKey,
  relevantPairs,
  resolveCanonical,
  type AliasVersion,
  type CodeVersion,
  type SiteVersion,
} from './code-history.ts';

const QGD = { portCode: 'CNQGD', customsCode: '4218' };
const QWG = { portCode: 'CNQWG', customsCode: '4258' };

const site = (
  id: string,
  code: string,
  pair: { portCode: string; customsCode: string },
  validFrom: string,
  validTo: string | null = null,
) => ({ id, code, nameZh: `场所${code}`, nameEn: `Site ${code}`, ...pair, validFrom, validTo }) satisfies SiteVersion;

// The Qianwan case as the demo data has it (reference-data/shandong).
const sites: SiteVersion[] = [
  site('s1', '421801', QGD, '2000-01-01'),
  site('s2', '421802', QGD, '2000-01-01'),
  site('s3', '425801', QWG, '2008-09-07', '2023-10-23'),
  site('s3', '425801', QGD, '2023-10-23'),
];
const codes: CodeVersion[] = [
  { id: 'c1', ...QGD, nameZh: '前湾', nameEn: 'Qianwan', validFrom: '2000-01-01', validTo: null },
  { id: 'c2', ...QWG, nameZh: '前湾第二代码', nameEn: 'Qianwan second code', validFrom: '2008-09-07', validTo: '2023-10-23' },
];
const alias: AliasVersion = {
  id: 'a1',
  ...QWG,
  canonicalPortCode: 'CNQGD',
  canonicalCustomsCode: '4218',
  note: 'one port, one code',
  validFrom: '2023-10-23',
  validTo: null,
};

describe('buildCodeHistory', () => {
  const history = buildCodeHistory({ sites, codes, aliases: [alias] });

  it('tells the Qianwan story in date order', () => {
    expect(history.map((e) => e.date)).toEqual(['2000-01-01', '2008-09-07', '2023-10-23']);
  });

  it('opens the baseline sites together under their code', () => {
    const first = history[0];
    expect(first?.tone).toBe('start');
    expect(first?.events).toEqual([
      { kind: 'code-registered', code: QGD, nameZh: '前湾', nameEn: 'Qianwan', current: true },
      {
        kind: 'sites-opened',
        code: QGD,
        sites: [
          { code: '421801', nameZh: '场所421801', nameEn: 'Site 421801' },
          { code: '421802', nameZh: '场所421802', nameEn: 'Site 421802' },
        ],
      },
    ]);
  });

  it('registers CNQWG/4258 with site 425801 on 2008-09-07', () => {
    expect(history[1]?.events.map((e) => e.kind)).toEqual(['code-registered', 'sites-opened']);
    expect(history[1]?.events[0]).toMatchObject({ code: QWG, current: false });
    expect(history[1]?.events[1]).toMatchObject({ code: QWG, sites: [{ code: '425801' }] });
  });

  it('reads 2023-10-23 as one unification: the site moves, the alias starts, the old code retires', () => {
    const day = history[2];
    expect(day?.tone).toBe('change');
    expect(day?.events).toEqual([
      { kind: 'unified', from: QWG, to: QGD },
      { kind: 'sites-recoded', from: QWG, to: QGD, sites: [{ code: '425801', nameZh: '场所425801', nameEn: 'Site 425801' }] },
      { kind: 'alias-started', from: QWG, to: QGD, note: 'one port, one code', current: true },
      { kind: 'code-retired', code: QWG, nameZh: '前湾第二代码', nameEn: 'Qianwan second code' },
    ]);
  });

  it('takes versions in any order and ignores duplicates', () => {
    const shuffled = buildCodeHistory({ sites: [...sites].reverse().concat(sites), codes: [...codes].reverse(), aliases: [alias, alias] });
    expect(shuffled).toEqual(history);
  });

  it('reports a site that closes and reopens, and one that ends for good', () => {
    const h = buildCodeHistory({
      sites: [site('x', '420099', QGD, '2001-01-01', '2005-01-01'), site('x', '420099', QGD, '2006-01-01', '2010-01-01')],
      codes: [],
      aliases: [],
    });
    expect(h.map((e) => [e.date, e.tone, e.events.map((x) => x.kind).join()])).toEqual([
      ['2001-01-01', 'start', 'sites-opened'],
      ['2005-01-01', 'end', 'sites-closed'],
      ['2006-01-01', 'start', 'sites-opened'],
      ['2010-01-01', 'end', 'sites-closed'],
    ]);
  });

  it('does not call a version that only renames a site a change of code', () => {
    const h = buildCodeHistory({
      sites: [site('y', '421809', QGD, '2000-01-01', '2012-01-01'), { ...site('y', '421809', QGD, '2012-01-01'), nameEn: 'Renamed' }],
      codes: [],
      aliases: [],
    });
    expect(h).toHaveLength(1);
  });

  it('marks an alias that ends', () => {
    const h = buildCodeHistory({ sites: [], codes: [], aliases: [{ ...alias, validTo: '2030-01-01' }] });
    expect(h.map((e) => [e.date, e.events.map((x) => x.kind).join()])).toEqual([
      ['2023-10-23', 'alias-started'],
      ['2030-01-01', 'alias-ended'],
    ]);
    expect(h[0]?.events[0]).toMatchObject({ current: false });
  });
});

describe('relevantPairs', () => {
  it('collects the codes the sites used and the aliases touching them', () => {
    expect(relevantPairs([sites[0] as SiteVersion], [alias]).map(pairKey)).toEqual(['CNQGD/4218', 'CNQWG/4258']);
    expect(relevantPairs([site('z', '420011', { portCode: 'CNRZH', customsCode: '4200' }, '2000-01-01')], [alias]).map(pairKey)).toEqual([
      'CNRZH/4200',
    ]);
  });
});

describe('resolveCanonical', () => {
  it('follows an alias only from its start date', () => {
    expect(resolveCanonical(QWG, [alias], '2023-10-22')).toEqual({ canonical: QWG, viaAlias: false });
    expect(resolveCanonical(QWG, [alias], '2023-10-23')).toEqual({ canonical: QGD, viaAlias: true });
    expect(resolveCanonical(QGD, [alias], '2024-01-01')).toEqual({ canonical: QGD, viaAlias: false });
  });

  it('follows chains and survives a loop in the data', () => {
    const b = { portCode: 'CNBBB', customsCode: '1111' };
    const chain: AliasVersion = { ...alias, id: 'a2', ...QGD, canonicalPortCode: 'CNBBB', canonicalCustomsCode: '1111' };
    expect(resolveCanonical(QWG, [alias, chain], '2024-01-01').canonical).toEqual(b);
    const loop: AliasVersion = { ...alias, id: 'a3', ...b, canonicalPortCode: 'CNQWG', canonicalCustomsCode: '4258' };
    expect(resolveCanonical(QWG, [alias, chain, loop], '2024-01-01').viaAlias).toBe(true);
  });
});
