import { CREDIT_CLASSES } from './risk.facts.ts';

/**
 * The condition language of customs risk rules. A condition is one boolean expression:
 *
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | compare
 *   compare := sum [ ('<' | '<=' | '>' | '>=' | '=' | '==' | '!=' | '<>') sum
 *                  | 'in' sum | 'startsWith' sum | 'containsAny' sum ]
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | atom
 *   atom    := number | "string" | true | false | [literal, ...] | field | fn '(' or (',' or)* ')' | '(' or ')'
 *
 * Keywords are case-insensitive; field and function names are not. `x in [..]` is exact
 * membership; `s startsWith "2601"` or `s startsWith ["2601", "7403"]` is a prefix match;
 * `s containsAny [..]` (or the rule set's `sensitiveWords`) is a case-insensitive substring match.
 *
 * Missing values: a field may be null (weightDeviation without a matched manifest, valuePerKg of a
 * zero net weight, refMin/refMax without a reference range); arithmetic on null gives null and any
 * comparison with null is false.
 *
 * Item fields (hs, description, origin, netKg, value, valuePerKg, refMin, refMax, seq): a
 * condition that names any of them is true when at least ONE item makes the whole condition true,
 * each item evaluated on its own (declaration fields are the same for every item). So
 * `hs startsWith "2601" and valuePerKg < refMin * 0.5` needs one item that is both; and
 * `not origin in ["AU"]` means "some item not of Australian origin". A declaration without items
 * never fires such a condition.
 */

export type ValueType = 'number' | 'string' | 'bool' | 'strings' | 'numbers';

type FieldSpec = { type: ValueType; item: boolean; values?: readonly string[] };

export const CONDITION_FIELDS = {
  direction: { type: 'string', item: false, values: ['import', 'export'] },
  procedure: { type: 'string', item: false, values: ['standard', 'advance', 'two-step'] },
  creditClass: { type: 'string', item: false, values: CREDIT_CLASSES },
  enterpriseCode: { type: 'string', item: false },
  customsCode: { type: 'string', item: false },
  tradeMode: { type: 'string', item: false },
  transMode: { type: 'string', item: false },
  rebate: { type: 'bool', item: false },
  declaredGrossKg: { type: 'number', item: false },
  manifestedGrossKg: { type: 'number', item: false },
  manifestMatched: { type: 'bool', item: false },
  /** |declared − manifested| / manifested gross weight; null when no manifest was matched. */
  weightDeviation: { type: 'number', item: false },
  itemCount: { type: 'number', item: false },
  totalValue: { type: 'number', item: false },
  totalNetKg: { type: 'number', item: false },
  sensitiveWords: { type: 'strings', item: false },
  seq: { type: 'number', item: true },
  hs: { type: 'string', item: true },
  description: { type: 'string', item: true },
  origin: { type: 'string', item: true },
  netKg: { type: 'number', item: true },
  value: { type: 'number', item: true },
  /** CNY per kg of net weight; null when the net weight is zero. */
  valuePerKg: { type: 'number', item: true },
  /** The reference range of the item's HS code (longest prefix); null when none covers it. */
  refMin: { type: 'number', item: true },
  refMax: { type: 'number', item: true },
} as const satisfies Record<string, FieldSpec>;
export type FieldName = keyof typeof CONDITION_FIELDS;

const FUNCTIONS = { abs: { min: 1, max: 1 }, min: { min: 2, max: 10 }, max: { min: 2, max: 10 } } as const;
type FnName = keyof typeof FUNCTIONS;

type CmpOp = '<' | '<=' | '>' | '>=' | '=' | '!=';
type MatchOp = 'in' | 'startsWith' | 'containsAny';

export type Node =
  | { k: 'num'; at: number; v: number }
  | { k: 'str'; at: number; v: string }
  | { k: 'bool'; at: number; v: boolean }
  | { k: 'list'; at: number; items: (string | number)[] }
  | { k: 'field'; at: number; name: FieldName }
  | { k: 'call'; at: number; fn: FnName; args: Node[] }
  | { k: 'neg'; at: number; e: Node }
  | { k: 'arith'; at: number; op: '+' | '-' | '*' | '/'; l: Node; r: Node }
  | { k: 'cmp'; at: number; op: CmpOp; l: Node; r: Node }
  | { k: 'match'; at: number; op: MatchOp; l: Node; r: Node }
  | { k: 'not'; at: number; e: Node }
  | { k: 'and' | 'or'; at: number; parts: Node[] };

/** Where and why a condition does not parse or type-check; `offset` counts characters from 0. */
export class ConditionError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.name = 'ConditionError';
    this.offset = offset;
  }
}

// ---------------------------------------------------------------- tokens

type Tok =
  | { t: 'num'; at: number; v: number }
  | { t: 'str'; at: number; v: string }
  | { t: 'id'; at: number; v: string }
  | { t: 'kw'; at: number; v: 'and' | 'or' | 'not' | 'in' | 'startsWith' | 'containsAny' | 'true' | 'false' }
  | { t: 'op'; at: number; v: string }
  | { t: 'end'; at: number };

const KEYWORDS: Record<string, Extract<Tok, { t: 'kw' }>['v']> = {
  and: 'and',
  or: 'or',
  not: 'not',
  in: 'in',
  startswith: 'startsWith',
  containsany: 'containsAny',
  true: 'true',
  false: 'false',
};
const TWO_CHAR_OPS = ['<=', '>=', '==', '!=', '<>'];
const ONE_CHAR_OPS = '()[],+-*/<>=';

const tokenize = (src: string): Tok[] => {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*(\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      i += m[0].length;
      if (/[A-Za-z_]/.test(src[i] ?? '')) {
        throw new ConditionError(i, `unexpected "${src[i] as string}" after the number ${m[0]}`);
      }
      out.push({ t: 'num', at: start, v: Number(m[0]) });
      continue;
    }
    if (c === '"') {
      let v = '';
      i += 1;
      for (;;) {
        const d = src[i];
        if (d === undefined) {
          throw new ConditionError(start, 'the string is not closed (missing ")');
        }
        if (d === '"') {
          i += 1;
          break;
        }
        if (d === '\\') {
          const e = src[i + 1];
          if (e !== '"' && e !== '\\') {
            throw new ConditionError(i, 'only \\" and \\\\ may be escaped in a string');
          }
          v += e;
          i += 2;
          continue;
        }
        v += d;
        i += 1;
      }
      out.push({ t: 'str', at: start, v });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      i += m[0].length;
      const kw = KEYWORDS[m[0].toLowerCase()];
      out.push(kw !== undefined ? { t: 'kw', at: start, v: kw } : { t: 'id', at: start, v: m[0] });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      out.push({ t: 'op', at: start, v: two === '==' ? '=' : two === '<>' ? '!=' : two });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.includes(c)) {
      out.push({ t: 'op', at: start, v: c });
      i += 1;
      continue;
    }
    throw new ConditionError(i, `unexpected character "${c}"`);
  }
  out.push({ t: 'end', at: src.length });
  return out;
};

// ---------------------------------------------------------------- parser

const describe = (t: Tok): string =>
  t.t === 'end' ? 'the end of the condition' : t.t === 'str' ? `"${t.v}"` : t.t === 'num' ? String(t.v) : `"${t.v}"`;

// Edit distance, for "did you mean" on a misspelt field.
const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const here = row[j] as number;
      row[j] = Math.min(here + 1, (row[j - 1] as number) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length] as number;
};
const suggest = (name: string, known: readonly string[]): string => {
  const best = known.map((k) => ({ k, d: distance(name, k) })).sort((x, y) => x.d - y.d)[0];
  return best !== undefined && best.d <= 2 ? ` (did you mean ${best.k}?)` : '';
};

/** Nesting deeper than this is refused (a hostile condition must not exhaust the stack). */
const MAX_DEPTH = 64;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private nested<T>(f: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw new ConditionError(this.peek().at, `nested more than ${MAX_DEPTH} levels deep`);
    }
    try {
      return f();
    } finally {
      this.depth -= 1;
    }
  }

  private peek(): Tok {
    return this.toks[this.i] as Tok;
  }
  private next(): Tok {
    const t = this.peek();
    if (t.t !== 'end') {
      this.i += 1;
    }
    return t;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isKw(v: string): boolean {
    const t = this.peek();
    return t.t === 'kw' && t.v === v;
  }
  private expectOp(v: string, what: string): void {
    if (!this.isOp(v)) {
      throw new ConditionError(this.peek().at, `expected ${what}, found ${describe(this.peek())}`);
    }
    this.next();
  }

  parseAll(): Node {
    const n = this.or();
    const t = this.peek();
    if (t.t !== 'end') {
      throw new ConditionError(t.at, `unexpected ${describe(t)}; expected "and", "or" or the end of the condition`);
    }
    return n;
  }

  private chain(kw: 'and' | 'or', sub: () => Node): Node {
    const first = sub();
    const parts = [first];
    while (this.isKw(kw)) {
      this.next();
      parts.push(sub());
    }
    return parts.length === 1 ? first : { k: kw, at: first.at, parts };
  }
  private or(): Node {
    return this.nested(() => this.chain('or', () => this.and()));
  }
  private and(): Node {
    return this.chain('and', () => this.not());
  }
  private not(): Node {
    const t = this.peek();
    if (t.t === 'kw' && t.v === 'not') {
      this.next();
      return { k: 'not', at: t.at, e: this.nested(() => this.not()) };
    }
    return this.compare();
  }
  private compare(): Node {
    const l = this.sum();
    const t = this.peek();
    let n: Node = l;
    if (t.t === 'op' && ['<', '<=', '>', '>=', '=', '!='].includes(t.v)) {
      this.next();
      n = { k: 'cmp', at: t.at, op: t.v as CmpOp, l, r: this.sum() };
    } else if (t.t === 'kw' && (t.v === 'in' || t.v === 'startsWith' || t.v === 'containsAny')) {
      this.next();
      n = { k: 'match', at: t.at, op: t.v, l, r: this.sum() };
    } else {
      return l;
    }
    const after = this.peek();
    if ((after.t === 'op' && ['<', '<=', '>', '>=', '=', '!='].includes(after.v)) || (after.t === 'kw' && after.v === 'in')) {
      throw new ConditionError(after.at, 'comparisons do not chain; join them with "and"');
    }
    return n;
  }
  private sum(): Node {
    let l = this.product();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.v !== '+' && t.v !== '-')) {
        return l;
      }
      this.next();
      l = { k: 'arith', at: t.at, op: t.v, l, r: this.product() };
    }
  }
  private product(): Node {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.v !== '*' && t.v !== '/')) {
        return l;
      }
      this.next();
      l = { k: 'arith', at: t.at, op: t.v, l, r: this.unary() };
    }
  }
  private unary(): Node {
    const t = this.peek();
    if (t.t === 'op' && t.v === '-') {
      this.next();
      return { k: 'neg', at: t.at, e: this.nested(() => this.unary()) };
    }
    return this.atom();
  }
  private atom(): Node {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { k: 'num', at: t.at, v: t.v };
      case 'str':
        return { k: 'str', at: t.at, v: t.v };
      case 'kw':
        if (t.v === 'true' || t.v === 'false') {
          return { k: 'bool', at: t.at, v: t.v === 'true' };
        }
        throw new ConditionError(t.at, `expected a value, found "${t.v}"`);
      case 'id': {
        if (this.isOp('(')) {
          if (!(t.v in FUNCTIONS)) {
            throw new ConditionError(
              t.at,
              `unknown function ${t.v}${suggest(t.v, Object.keys(FUNCTIONS))}; known: ${Object.keys(FUNCTIONS).join(', ')}`,
            );
          }
          this.next();
          const args = [this.or()];
          while (this.isOp(',')) {
            this.next();
            args.push(this.or());
          }
          this.expectOp(')', '"," or ")"');
          return { k: 'call', at: t.at, fn: t.v as FnName, args };
        }
        if (!(t.v in CONDITION_FIELDS)) {
          throw new ConditionError(t.at, `unknown field ${t.v}${suggest(t.v, Object.keys(CONDITION_FIELDS))}`);
        }
        return { k: 'field', at: t.at, name: t.v as FieldName };
      }
      case 'op':
        if (t.v === '(') {
          const inner = this.or();
          this.expectOp(')', '")"');
          return inner;
        }
        if (t.v === '[') {
          return this.list(t.at);
        }
        throw new ConditionError(t.at, `expected a value, found "${t.v}"`);
      case 'end':
        throw new ConditionError(t.at, 'the condition ends where a value was expected');
    }
  }
  private list(at: number): Node {
    const items: (string | number)[] = [];
    if (this.isOp(']')) {
      throw new ConditionError(at, 'an empty list never matches');
    }
    for (;;) {
      let t = this.next();
      let sign = 1;
      if (t.t === 'op' && t.v === '-') {
        sign = -1;
        t = this.next();
        if (t.t !== 'num') {
          throw new ConditionError(t.at, 'expected a number after "-" in the list');
        }
      }
      if (t.t === 'num') {
        items.push(sign * t.v);
      } else if (t.t === 'str') {
        items.push(t.v);
      } else {
        throw new ConditionError(t.at, `a list holds only "strings" or numbers; found ${describe(t)}`);
      }
      if (typeof items[0] !== typeof items[items.length - 1]) {
        throw new ConditionError(t.at, 'a list holds strings or numbers, not both');
      }
      if (this.isOp(']')) {
        this.next();
        return { k: 'list', at, items };
      }
      this.expectOp(',', '"," or "]"');
    }
  }
}

// ---------------------------------------------------------------- types

const typeName: Record<ValueType, string> = {
  number: 'a number',
  string: 'a string',
  bool: 'true/false',
  strings: 'a list of strings',
  numbers: 'a list of numbers',
};

const enumOf = (n: Node): readonly string[] | undefined => {
  if (n.k !== 'field') {
    return undefined;
  }
  const spec: FieldSpec = CONDITION_FIELDS[n.name];
  return spec.values;
};
const checkEnum = (field: Node, lit: Node): void => {
  const values = enumOf(field);
  if (values === undefined || field.k !== 'field') {
    return;
  }
  const literals = lit.k === 'str' ? [{ v: lit.v, at: lit.at }] : lit.k === 'list' ? lit.items.map((v) => ({ v, at: lit.at })) : [];
  for (const x of literals) {
    if (typeof x.v === 'string' && !values.includes(x.v)) {
      throw new ConditionError(x.at, `${field.name} is one of ${values.join(', ')}; "${x.v}" never matches`);
    }
  }
};

const typeOf = (n: Node): ValueType => {
  const want = (m: Node, t: ValueType, what: string): void => {
    const got = typeOf(m);
    if (got !== t) {
      throw new ConditionError(m.at, `${what} needs ${typeName[t]}, not ${typeName[got]}`);
    }
  };
  switch (n.k) {
    case 'num':
      return 'number';
    case 'str':
      return 'string';
    case 'bool':
      return 'bool';
    case 'list':
      return typeof n.items[0] === 'number' ? 'numbers' : 'strings';
    case 'field':
      return CONDITION_FIELDS[n.name].type;
    case 'call':
      if (n.args.length < FUNCTIONS[n.fn].min || n.args.length > FUNCTIONS[n.fn].max) {
        const { min, max } = FUNCTIONS[n.fn];
        throw new ConditionError(n.at, `${n.fn} takes ${min === max ? String(min) : `${min} to ${max}`} arguments, not ${n.args.length}`);
      }
      n.args.forEach((a) => want(a, 'number', n.fn));
      return 'number';
    case 'neg':
      want(n.e, 'number', '"-"');
      return 'number';
    case 'arith':
      want(n.l, 'number', `"${n.op}"`);
      want(n.r, 'number', `"${n.op}"`);
      return 'number';
    case 'cmp': {
      if (n.op === '=' || n.op === '!=') {
        const l = typeOf(n.l);
        if (l !== 'number' && l !== 'string' && l !== 'bool') {
          throw new ConditionError(n.l.at, `"${n.op}" compares single values, not ${typeName[l]}`);
        }
        want(n.r, l, `"${n.op}" with ${typeName[l]} on the left`);
        checkEnum(n.l, n.r);
        checkEnum(n.r, n.l);
      } else {
        want(n.l, 'number', `"${n.op}"`);
        want(n.r, 'number', `"${n.op}"`);
      }
      return 'bool';
    }
    case 'match': {
      const l = typeOf(n.l);
      if (n.op === 'in') {
        if (l !== 'string' && l !== 'number') {
          throw new ConditionError(n.l.at, `"in" needs a string or a number on the left, not ${typeName[l]}`);
        }
        want(n.r, l === 'string' ? 'strings' : 'numbers', '"in"');
        checkEnum(n.l, n.r);
      } else {
        want(n.l, 'string', `"${n.op}"`);
        const r = typeOf(n.r);
        if (r !== 'strings' && r !== 'string') {
          throw new ConditionError(n.r.at, `"${n.op}" needs a string or a list of strings, not ${typeName[r]}`);
        }
      }
      return 'bool';
    }
    case 'not':
      want(n.e, 'bool', '"not"');
      return 'bool';
    case 'and':
    case 'or':
      n.parts.forEach((p) => want(p, 'bool', `"${n.k}"`));
      return 'bool';
  }
};

export type CompiledCondition = { source: string; ast: Node; fields: FieldName[]; usesItems: boolean };

/** Parses and type-checks a condition; throws ConditionError (offset, message) when it is not valid. */
export const compileCondition = (source: string): CompiledCondition => {
  const ast = new Parser(tokenize(source)).parseAll();
  const t = typeOf(ast);
  if (t !== 'bool') {
    throw new ConditionError(0, `a condition must be true or false, but this is ${typeName[t]}`);
  }
  const fields: FieldName[] = [];
  const walk = (n: Node): void => {
    if (n.k === 'field' && !fields.includes(n.name)) {
      fields.push(n.name);
    }
    for (const c of n.k === 'and' || n.k === 'or'
      ? n.parts
      : n.k === 'call'
        ? n.args
        : n.k === 'not' || n.k === 'neg'
          ? [n.e]
          : 'l' in n
            ? [n.l, n.r]
            : []) {
      walk(c);
    }
  };
  walk(ast);
  return { source, ast, fields, usesItems: fields.some((f) => CONDITION_FIELDS[f].item) };
};

/** The error of a condition, or null when it is valid. */
export const conditionError = (source: string): { offset: number; message: string } | null => {
  try {
    compileCondition(source);
    return null;
  } catch (e) {
    if (e instanceof ConditionError) {
      return { offset: e.offset, message: e.message };
    }
    throw e;
  }
};

// ---------------------------------------------------------------- evaluation

export type Value = number | string | boolean | null | readonly (string | number)[];
/** Field values of the declaration and, inside the item loop, of one item. */
export type Scope = Partial<Record<FieldName, Value>>;

const num = (v: Value): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Evaluates a compiled condition in one scope; `matched` collects sensitive words that hit. */
export const evaluate = (n: Node, scope: Scope, matched: string[] = []): Value => {
  switch (n.k) {
    case 'num':
    case 'str':
    case 'bool':
      return n.v;
    case 'list':
      return n.items;
    case 'field':
      return scope[n.name] ?? null;
    case 'call': {
      const args = n.args.map((a) => num(evaluate(a, scope, matched)));
      if (args.some((a) => a === null)) {
        return null;
      }
      const xs = args as number[];
      return n.fn === 'abs' ? Math.abs(xs[0] as number) : n.fn === 'min' ? Math.min(...xs) : Math.max(...xs);
    }
    case 'neg': {
      const v = num(evaluate(n.e, scope, matched));
      return v === null ? null : -v;
    }
    case 'arith': {
      const l = num(evaluate(n.l, scope, matched));
      const r = num(evaluate(n.r, scope, matched));
      if (l === null || r === null) {
        return null;
      }
      const v = n.op === '+' ? l + r : n.op === '-' ? l - r : n.op === '*' ? l * r : r === 0 ? null : l / r;
      return v;
    }
    case 'cmp': {
      const l = evaluate(n.l, scope, matched);
      const r = evaluate(n.r, scope, matched);
      if (l === null || r === null) {
        return false;
      }
      switch (n.op) {
        case '=':
          return l === r;
        case '!=':
          return l !== r;
        case '<':
          return (l as number) < (r as number);
        case '<=':
          return (l as number) <= (r as number);
        case '>':
          return (l as number) > (r as number);
        case '>=':
          return (l as number) >= (r as number);
      }
      return false;
    }
    case 'match': {
      const l = evaluate(n.l, scope, matched);
      const r = evaluate(n.r, scope, matched);
      if (l === null || r === null || typeof l === 'boolean') {
        return false;
      }
      const list = (Array.isArray(r) ? r : [r]) as readonly (string | number)[];
      if (n.op === 'in') {
        return list.includes(l as string | number);
      }
      const s = String(l);
      if (n.op === 'startsWith') {
        return list.some((p) => s.startsWith(String(p)));
      }
      const lower = s.toLowerCase();
      const hits = list.filter((w) => String(w) !== '' && lower.includes(String(w).toLowerCase())).map(String);
      matched.push(...hits.filter((h) => !matched.includes(h)));
      return hits.length > 0;
    }
    case 'not':
      return evaluate(n.e, scope, matched) !== true;
    case 'and':
      return n.parts.every((p) => evaluate(p, scope, matched) === true);
    case 'or':
      return n.parts.some((p) => evaluate(p, scope, matched) === true);
  }
};
