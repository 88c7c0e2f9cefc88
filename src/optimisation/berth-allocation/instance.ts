/**
 * The dynamic discrete berth allocation problem (DBAP): ships arrive over time, each goes to exactly one
 * berth, a berth serves one ship at a time, and the total weighted service time (waiting + handling) is
 * minimised. This file holds the instance type shared by the parser, the checker and the solvers, and the
 * parser of the DBAP text format of Lalla-Ruiz et al. (2012) and Kramer et al. (2019).
 */

/** Handling time meaning "this ship may not use this berth" in the DBAP text format. */
export const FORBIDDEN_HANDLING = 99999;

export type Ship = {
  /** Earliest start of service (same time unit as everything else). */
  arrival: number;
  /** Service must be complete by this time. */
  latestDeparture: number;
  /** Weight of the ship's service time in the objective (1 unless given). */
  weight: number;
};

export type Berth = {
  opens: number;
  closes: number;
};

export type BerthInstance = {
  ships: Ship[];
  berths: Berth[];
  /** handling[ship][berth]: handling time, or null when the ship may not use the berth. */
  handling: (number | null)[][];
};

/** A plan line: ship (index into ships) starts on berth (index into berths) at start. */
export type Assignment = { ship: number; berth: number; start: number };

export class DbapParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'DbapParseError';
  }
}

export type ParseDbapOptions = {
  /**
   * Whether a vector of N ship weights follows the latest departure times. 'auto' (default) reads weights
   * when exactly N tokens follow them (the Kramer et al. files) and ignores anything else that follows
   * (some Lalla-Ruiz files carry extra tokens there).
   */
  weights?: 'auto' | 'present' | 'absent';
};

type Token = { text: string; line: number };

const tokenise = (text: string): Token[][] =>
  text.split('\n').map((raw, i) =>
    raw
      .trim()
      .split(/\s+/)
      .filter((t) => t.length > 0)
      .map((t) => ({ text: t, line: i + 1 })),
  );

/**
 * Parses the DBAP text format: N, M, N arrival times, M berth opening times, an N×M handling-time matrix
 * (99999 = forbidden), M berth closing times, N latest departure times, and optionally N weights. Values
 * are read as one whitespace-separated stream, exactly as many per vector as it needs (some published
 * files carry extra tokens, which are ignored). When the file runs out, the error names the first line
 * that holds fewer values than its vector needs (the files put each vector on its own line); a value
 * that is not a non-negative number is reported at its own line.
 */
export const parseDbap = (text: string, options: ParseDbapOptions = {}): BerthInstance => {
  const lines = tokenise(text);
  const stream = lines.flat();
  const lastLine = Math.max(1, lines.length);
  let pos = 0;
  // The vectors read so far (length, name), to diagnose a missing value line by line.
  const layout: { n: number; what: string }[] = [];

  const toNumber = (tok: Token, what: string, integer: boolean): number => {
    const v = Number(tok.text);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tok.text) || !Number.isFinite(v)) {
      throw new DbapParseError(tok.line, `expected a number in ${what}, found "${tok.text}"`);
    }
    if (v < 0 || (integer && !Number.isInteger(v))) {
      throw new DbapParseError(tok.line, `expected a non-negative ${integer ? 'integer' : 'number'} in ${what}, found ${tok.text}`);
    }
    return v;
  };

  /** Where a file that ran out most likely lost a value: the first vector whose line is short. */
  const diagnoseShortage = (n: number, what: string): never => {
    const wanted = [...layout, { n, what }];
    let row = 0;
    for (const v of wanted) {
      while (row < lines.length && (lines[row] ?? []).length === 0) {
        row += 1;
      }
      const found = (lines[row] ?? []).length;
      if (row >= lines.length) {
        throw new DbapParseError(lastLine, `expected ${v.n} ${v.what}, found none (end of file)`);
      }
      if (found < v.n) {
        throw new DbapParseError(row + 1, `expected ${v.n} ${v.what}, found ${found}`);
      }
      row += 1;
    }
    throw new DbapParseError(lastLine, `expected ${n} ${what}, found ${stream.length - pos} before the end of the file`);
  };

  const readVector = (n: number, what: string, integer: boolean): number[] => {
    if (pos + n > stream.length) {
      diagnoseShortage(n, what);
    }
    const values = stream.slice(pos, pos + n).map((t, i) => toNumber(t, `${what} (value ${i + 1} of ${n})`, integer));
    pos += n;
    layout.push({ n, what });
    return values;
  };

  const readCount = (what: string): number => {
    const tok = stream[pos];
    const v = readVector(1, what, true)[0] ?? 0;
    if (v < 1) {
      throw new DbapParseError(tok?.line ?? lastLine, `expected a positive ${what}, found ${v}`);
    }
    return v;
  };

  const n = readCount('number of ships');
  const m = readCount('number of berths');
  const arrivals = readVector(n, 'arrival times', true);
  const opens = readVector(m, 'berth opening times', true);
  const handling: (number | null)[][] = [];
  for (let i = 0; i < n; i++) {
    const row = readVector(m, `handling times of ship ${i + 1}`, true);
    handling.push(row.map((p) => (p >= FORBIDDEN_HANDLING ? null : p)));
  }
  const closes = readVector(m, 'berth closing times', true);
  const deadlines = readVector(n, 'latest departure times', true);
  const mode = options.weights ?? 'auto';
  let weights: number[] = new Array<number>(n).fill(1);
  if (mode === 'present' || (mode === 'auto' && stream.length - pos === n)) {
    weights = readVector(n, 'ship weights', false);
  }
  return {
    ships: arrivals.map((arrival, i) => ({ arrival, latestDeparture: deadlines[i] ?? 0, weight: weights[i] ?? 1 })),
    berths: opens.map((o, k) => ({ opens: o, closes: closes[k] ?? 0 })),
    handling,
  };
};
