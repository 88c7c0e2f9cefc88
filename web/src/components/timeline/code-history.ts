/**
 * The regulatory-code history of a port, as a dated story: which port/customs code pairs were
 * registered and retired, which supervision sites opened, moved to another code or closed, and
 * which aliases made one code stand for another. Built from the versions the registry keeps
 * (GET /api/v1/<entity>/:id/history), with no I/O here, so the Qianwan case reads:
 *
 *   2008-09-07  CNQWG/4258 registered; site 425801 opened under CNQWG/4258
 *   2023-10-23  CNQWG/4258 unified into CNQGD/4218: site 425801 moved, alias CNQWG/4258 → CNQGD/4218,
 *               CNQWG/4258 retired
 */
export type CodePair = { portCode: string; customsCode: string };
type Versioned = { id: string; validFrom: string; validTo: string | null };

export type SiteVersion = Versioned & { code: string; nameZh: string; nameEn: string; portCode: string; customsCode: string };
export type CodeVersion = Versioned & { portCode: string; customsCode: string; nameZh: string; nameEn: string };
export type AliasVersion = Versioned & {
  portCode: string;
  customsCode: string;
  canonicalPortCode: string;
  canonicalCustomsCode: string;
  note: string;
};

export type SiteRef = { code: string; nameZh: string; nameEn: string };

export type CodeEvent =
  /** A code stopped being used on its own and became an alias of another, its sites moved over. */
  | { kind: 'unified'; from: CodePair; to: CodePair }
  /** `current`: still registered on the last date the history knows (no retirement after). */
  | { kind: 'code-registered'; code: CodePair; nameZh: string; nameEn: string; current: boolean }
  | { kind: 'code-retired'; code: CodePair; nameZh: string; nameEn: string }
  | { kind: 'sites-opened'; code: CodePair; sites: SiteRef[] }
  | { kind: 'sites-recoded'; from: CodePair; to: CodePair; sites: SiteRef[] }
  | { kind: 'sites-closed'; code: CodePair; sites: SiteRef[] }
  | { kind: 'alias-started'; from: CodePair; to: CodePair; note: string; current: boolean }
  | { kind: 'alias-ended'; from: CodePair; to: CodePair };

export type CodeEventKind = CodeEvent['kind'];

export type CodeHistoryEntry = {
  date: string;
  /** 'change' when a code moved or merged that day; 'end' when things only closed; else 'start'. */
  tone: 'change' | 'start' | 'end';
  events: CodeEvent[];
};

export const pairKey = (p: CodePair): string => `${p.portCode}/${p.customsCode}`;
export const samePair = (a: CodePair, b: CodePair): boolean => a.portCode === b.portCode && a.customsCode === b.customsCode;
const pairOf = (v: { portCode: string; customsCode: string }): CodePair => ({ portCode: v.portCode, customsCode: v.customsCode });
const targetOf = (a: AliasVersion): CodePair => ({ portCode: a.canonicalPortCode, customsCode: a.canonicalCustomsCode });

const ORDER: CodeEventKind[] = [
  'unified',
  'code-registered',
  'sites-opened',
  'sites-recoded',
  'alias-started',
  'code-retired',
  'alias-ended',
  'sites-closed',
];

/** Versions grouped per entity (by id), each group oldest first, duplicates (same id and validFrom) dropped. */
const histories = <T extends Versioned>(versions: T[]): T[][] => {
  const byId = new Map<string, Map<string, T>>();
  for (const v of versions) {
    const m = byId.get(v.id) ?? new Map<string, T>();
    m.set(v.validFrom, v);
    byId.set(v.id, m);
  }
  return [...byId.values()].map((m) => [...m.values()].sort((a, b) => a.validFrom.localeCompare(b.validFrom)));
};

/**
 * Walks one entity's versions as runs of unbroken validity: `start` at the beginning of each run,
 * `change` between two touching versions, `end` where a run stops (validTo set and no version
 * follows on that day).
 */
const walk = <T extends Versioned>(
  versions: T[],
  on: { start: (v: T) => void; change: (prev: T, next: T) => void; end: (v: T, date: string) => void },
): void => {
  versions.forEach((v, i) => {
    const prev = versions[i - 1];
    if (prev === undefined) {
      on.start(v);
    } else if (prev.validTo === null || prev.validTo === v.validFrom) {
      on.change(prev, v);
    } else {
      on.end(prev, prev.validTo);
      on.start(v);
    }
  });
  const last = versions[versions.length - 1];
  if (last !== undefined && last.validTo !== null) {
    on.end(last, last.validTo);
  }
};

export const buildCodeHistory = (input: { sites: SiteVersion[]; codes: CodeVersion[]; aliases: AliasVersion[] }): CodeHistoryEntry[] => {
  const byDate = new Map<string, CodeEvent[]>();
  const add = (date: string, e: CodeEvent): void => {
    byDate.set(date, [...(byDate.get(date) ?? []), e]);
  };
  /** Site events of one kind, date and code(s) become one event listing every site. */
  const addSite = (date: string, e: Extract<CodeEvent, { sites: SiteRef[] }>): void => {
    const list = byDate.get(date) ?? [];
    const same = list.find(
      (x) =>
        x.kind === e.kind &&
        ('code' in x && 'code' in e ? samePair(x.code, e.code) : true) &&
        ('from' in x && 'from' in e ? samePair(x.from, e.from) && samePair(x.to, e.to) : true),
    );
    if (same !== undefined && 'sites' in same) {
      if (!same.sites.some((s) => s.code === e.sites[0]?.code)) {
        same.sites.push(...e.sites);
      }
      return;
    }
    byDate.set(date, [...list, { ...e, sites: [...e.sites] }]);
  };
  const ref = (s: SiteVersion): SiteRef => ({ code: s.code, nameZh: s.nameZh, nameEn: s.nameEn });

  for (const versions of histories(input.sites)) {
    walk(versions, {
      start: (v) => addSite(v.validFrom, { kind: 'sites-opened', code: pairOf(v), sites: [ref(v)] }),
      change: (prev, next) => {
        if (!samePair(pairOf(prev), pairOf(next))) {
          addSite(next.validFrom, { kind: 'sites-recoded', from: pairOf(prev), to: pairOf(next), sites: [ref(next)] });
        }
      },
      end: (v, date) => addSite(date, { kind: 'sites-closed', code: pairOf(v), sites: [ref(v)] }),
    });
  }

  for (const versions of histories(input.codes)) {
    let open: { current: boolean } | null = null;
    walk(versions, {
      start: (v) => {
        const e = { kind: 'code-registered' as const, code: pairOf(v), nameZh: v.nameZh, nameEn: v.nameEn, current: true };
        open = e;
        add(v.validFrom, e);
      },
      change: () => undefined,
      end: (v, date) => {
        if (open !== null) {
          open.current = false;
        }
        add(date, { kind: 'code-retired', code: pairOf(v), nameZh: v.nameZh, nameEn: v.nameEn });
      },
    });
  }

  for (const versions of histories(input.aliases)) {
    let open: { current: boolean } | null = null;
    const start = (v: AliasVersion): void => {
      const e = { kind: 'alias-started' as const, from: pairOf(v), to: targetOf(v), note: v.note, current: true };
      open = e;
      add(v.validFrom, e);
    };
    const end = (v: AliasVersion, date: string): void => {
      if (open !== null) {
        open.current = false;
      }
      add(date, { kind: 'alias-ended', from: pairOf(v), to: targetOf(v) });
    };
    walk(versions, {
      start,
      change: (prev, next) => {
        if (!samePair(targetOf(prev), targetOf(next))) {
          end(prev, next.validFrom);
          start(next);
        }
      },
      end,
    });
  }

  const entries: CodeHistoryEntry[] = [];
  for (const [date, events] of byDate) {
    // A code unified into another: from that day it is an alias of the other, and it was retired
    // or its sites moved over the same day.
    const unified = events
      .filter((e): e is Extract<CodeEvent, { kind: 'alias-started' }> => e.kind === 'alias-started')
      .filter((a) =>
        events.some(
          (e) =>
            (e.kind === 'code-retired' && samePair(e.code, a.from)) ||
            (e.kind === 'sites-recoded' && samePair(e.from, a.from) && samePair(e.to, a.to)),
        ),
      )
      .map((a): CodeEvent => ({ kind: 'unified', from: a.from, to: a.to }));
    const all = [...unified, ...events].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    const kinds = new Set(all.map((e) => e.kind));
    const tone =
      kinds.has('unified') || kinds.has('sites-recoded') || kinds.has('alias-started')
        ? 'change'
        : all.every((e) => e.kind === 'code-retired' || e.kind === 'sites-closed' || e.kind === 'alias-ended')
          ? 'end'
          : 'start';
    for (const e of all) {
      if ('sites' in e) {
        e.sites.sort((a, b) => a.code.localeCompare(b.code));
      }
    }
    entries.push({ date, tone, events: all });
  }
  return entries.sort((a, b) => a.date.localeCompare(b.date));
};

/** Every code pair the given site versions were ever under, and those aliases lead to or from. */
export const relevantPairs = (sites: SiteVersion[], aliases: AliasVersion[]): CodePair[] => {
  const keys = new Map<string, CodePair>(sites.map((s) => [pairKey(s), pairOf(s)]));
  for (const a of aliases) {
    if (keys.has(pairKey(a)) || keys.has(pairKey(targetOf(a)))) {
      keys.set(pairKey(a), pairOf(a));
      keys.set(pairKey(targetOf(a)), targetOf(a));
    }
  }
  return [...keys.values()].sort((a, b) => pairKey(a).localeCompare(pairKey(b)));
};

const validOn = (v: Versioned, date: string): boolean => v.validFrom <= date && (v.validTo === null || v.validTo > date);

/**
 * The canonical code of a pair on a date, following aliases valid that day (transitively, at most
 * eight hops, as the server's /codes/resolve does).
 */
export const resolveCanonical = (pair: CodePair, aliases: AliasVersion[], date: string): { canonical: CodePair; viaAlias: boolean } => {
  let current = pair;
  let viaAlias = false;
  for (let hop = 0; hop < 8; hop += 1) {
    const alias = aliases.find((a) => validOn(a, date) && samePair(pairOf(a), current));
    if (alias === undefined) {
      break;
    }
    current = targetOf(alias);
    viaAlias = true;
  }
  return { canonical: current, viaAlias };
};
