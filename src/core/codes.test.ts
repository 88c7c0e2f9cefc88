import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containerCheckDigit,
  containerNumber,
  imoCheckDigit,
  isValidContainerNumber,
  isValidHsCodeFormat,
  isValidImoNumber,
  isValidUnLocode,
  validateContainerNumber,
  validateHsCodeFormat,
  validateImoNumber,
  validateUnLocode,
  type CodeCheck,
} from './codes.ts';

const reasonOf = (r: CodeCheck): string => (r.ok ? '' : r.reason);

const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const fromChars = (chars: string, n: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...chars.split('')), { minLength: n, maxLength: n }).map((a) => a.join(''));
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('validateUnLocode', () => {
  it.each(['CNQGD', 'CNTAO', 'CNRZH', 'USNYC', 'DEHAM', 'CNZ22'])('accepts %s', (code) => {
    expect(validateUnLocode(code)).toEqual({ ok: true, value: code });
  });

  it('trims, upper-cases and accepts the spaced table form', () => {
    expect(validateUnLocode('  cnqgd ')).toEqual({ ok: true, value: 'CNQGD' });
    expect(validateUnLocode('CN QGD')).toEqual({ ok: true, value: 'CNQGD' });
  });

  it('rejects wrong length', () => {
    expect(reasonOf(validateUnLocode('CNQG'))).toMatch(/5 characters.*got 4/);
    expect(reasonOf(validateUnLocode('CNQGDX'))).toMatch(/got 6/);
    expect(reasonOf(validateUnLocode(''))).toMatch(/empty/);
  });

  it('names the bad part', () => {
    expect(reasonOf(validateUnLocode('C1QGD'))).toMatch(/country part "C1"/);
    expect(reasonOf(validateUnLocode('CNQG0'))).toMatch(/location part "QG0".*2-9/);
    expect(reasonOf(validateUnLocode('CNQ1D'))).toMatch(/location part/);
    expect(reasonOf(validateUnLocode('CN-QG'))).toMatch(/location part/);
  });

  it('boolean helper agrees', () => {
    expect(isValidUnLocode('CNTAO')).toBe(true);
    expect(isValidUnLocode('CNTA1')).toBe(false);
  });

  it('round-trips any valid shape, whatever the case and surrounding space', () => {
    fc.assert(
      fc.property(
        fromChars(LETTERS, 2),
        fromChars(`${LETTERS}23456789`, 3),
        fc.boolean(),
        fc.constantFrom('', ' ', '\t', '  '),
        (country, location, lower, pad) => {
          const canonical = country + location;
          const input = pad + (lower ? canonical.toLowerCase() : canonical) + pad;
          const r = validateUnLocode(input);
          expect(r).toEqual({ ok: true, value: canonical });
          // Normalised output validates to itself.
          expect(validateUnLocode(canonical)).toEqual({ ok: true, value: canonical });
        },
      ),
    );
  });

  it('rejects any location containing 0 or 1', () => {
    fc.assert(
      fc.property(fromChars(LETTERS, 2), fc.constantFrom('0', '1'), fc.integer({ min: 0, max: 2 }), (country, bad, pos) => {
        const loc = ['A', 'B', 'C'];
        loc[pos] = bad;
        expect(isValidUnLocode(country + loc.join(''))).toBe(false);
      }),
    );
  });
});

describe('validateImoNumber', () => {
  it('computes the check digit', () => {
    // 9*7 + 3*6 + 2*5 + 1*4 + 4*3 + 8*2 = 123
    expect(imoCheckDigit('932148')).toBe(3);
    expect(() => imoCheckDigit('93214')).toThrow(RangeError);
    expect(() => imoCheckDigit('93214a')).toThrow(RangeError);
  });

  it.each(['IMO 9321483', '9321483', 'imo9321483', ' IMO  9321483 ', '9074729'])('accepts %s', (s) => {
    const r = validateImoNumber(s);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toMatch(/^\d{7}$/);
  });

  it('normalises to the 7 digits', () => {
    expect(validateImoNumber('IMO 9321483')).toEqual({ ok: true, value: '9321483' });
  });

  it('rejects bad input with a reason', () => {
    expect(reasonOf(validateImoNumber('9321484'))).toMatch(/check digit.*should be 3, not 4/);
    expect(reasonOf(validateImoNumber('932148'))).toMatch(/7 digits, got 6/);
    expect(reasonOf(validateImoNumber('93214833'))).toMatch(/got 8/);
    expect(reasonOf(validateImoNumber('IMO 93X1483'))).toMatch(/must be 7 digits/);
    expect(reasonOf(validateImoNumber('MMSI 9321483'))).toMatch(/must be 7 digits/);
    expect(reasonOf(validateImoNumber('   '))).toMatch(/empty/);
    expect(isValidImoNumber('9321483')).toBe(true);
    expect(isValidImoNumber('9321482')).toBe(false);
  });

  it('accepts exactly one final digit for any six leading digits', () => {
    fc.assert(
      fc.property(digits(6), fc.integer({ min: 0, max: 9 }), fc.boolean(), (first6, last, prefixed) => {
        const check = imoCheckDigit(first6);
        const prefix = prefixed ? 'IMO ' : '';
        expect(validateImoNumber(`${prefix}${first6}${check}`)).toEqual({ ok: true, value: `${first6}${check}` });
        if (last !== check) {
          expect(isValidImoNumber(`${prefix}${first6}${last}`)).toBe(false);
        }
      }),
    );
  });
});

describe('validateContainerNumber', () => {
  it('computes the check digit of known containers', () => {
    expect(containerCheckDigit('CSQU305438')).toBe(3);
    expect(containerCheckDigit('MSKU907032')).toBe(3);
    expect(() => containerCheckDigit('CSQU30543')).toThrow(RangeError);
    expect(() => containerCheckDigit('CSQ1305438')).toThrow(RangeError);
  });

  it('builds valid numbers from an owner code and a serial', () => {
    expect(containerNumber('CSQ', 305438)).toBe('CSQU3054383');
    expect(containerNumber('MSC', 42)).toMatch(/^MSCU000042\d$/);
    expect(validateContainerNumber(containerNumber('MSC', 42)).ok).toBe(true);
    expect(() => containerNumber('MS', 1)).toThrow(RangeError);
  });

  it('maps a remainder of 10 to check digit 0', () => {
    // Owner AAA + category U, serial 000000: 10+20+40+32*8 = 326, 326 mod 11 = 7.
    expect(containerCheckDigit('AAAU000000')).toBe(7);
    // Find a serial whose sum is 10 mod 11 and check it yields 0.
    let found = false;
    for (let n = 0; n < 1000 && !found; n++) {
      const first10 = `AAAU${String(n).padStart(6, '0')}`;
      let sum = 326;
      for (let i = 4; i < 10; i++) {
        sum += Number(first10[i]) * 2 ** i;
      }
      if (sum % 11 === 10) {
        expect(containerCheckDigit(first10)).toBe(0);
        expect(isValidContainerNumber(`${first10}0`)).toBe(true);
        found = true;
      }
    }
    expect(found).toBe(true);
  });

  it.each(['CSQU3054383', 'MSKU9070323'])('accepts %s', (c) => {
    expect(validateContainerNumber(c)).toEqual({ ok: true, value: c });
  });

  it('normalises case, spaces and hyphens', () => {
    expect(validateContainerNumber('csqu 305438 3')).toEqual({ ok: true, value: 'CSQU3054383' });
    expect(validateContainerNumber('MSKU-907032-3')).toEqual({ ok: true, value: 'MSKU9070323' });
  });

  it('rejects bad input with a reason naming the problem', () => {
    expect(reasonOf(validateContainerNumber('CSQU3054384'))).toMatch(/check digit: should be 3, not 4/);
    expect(reasonOf(validateContainerNumber('CSQU305438'))).toMatch(/11 characters.*got 10/);
    expect(reasonOf(validateContainerNumber('CSQX3054383'))).toMatch(/category identifier "X"/);
    expect(reasonOf(validateContainerNumber('C5QU3054383'))).toMatch(/owner code "C5Q"/);
    expect(reasonOf(validateContainerNumber('CSQU30543A3'))).toMatch(/serial number "30543A"/);
    expect(reasonOf(validateContainerNumber('CSQU305438X'))).toMatch(/check digit "X" must be a digit/);
    expect(reasonOf(validateContainerNumber(''))).toMatch(/empty/);
  });

  it('accepts exactly one final digit for any owner, category and serial', () => {
    fc.assert(
      fc.property(
        fromChars(LETTERS, 3),
        fc.constantFrom('U', 'J', 'Z'),
        digits(6),
        fc.integer({ min: 0, max: 9 }),
        (owner, category, serial, last) => {
          const first10 = owner + category + serial;
          const check = containerCheckDigit(first10);
          expect(check).toBeGreaterThanOrEqual(0);
          expect(check).toBeLessThanOrEqual(9);
          expect(validateContainerNumber(`${first10}${check}`)).toEqual({ ok: true, value: `${first10}${check}` });
          expect(isValidContainerNumber(`${first10.toLowerCase()}${check}`)).toBe(true);
          if (last !== check) {
            expect(isValidContainerNumber(`${first10}${last}`)).toBe(false);
          }
        },
      ),
    );
  });
});

describe('validateHsCodeFormat', () => {
  it.each([
    ['26', '26'],
    ['2601', '2601'],
    ['2601.11', '260111'],
    ['2601 11', '260111'],
    ['2601.11.10', '26011110'],
    ['2601.11.1000', '2601111000'],
  ])('accepts %s as %s', (input, value) => {
    expect(validateHsCodeFormat(input)).toEqual({ ok: true, value });
  });

  it('rejects bad input', () => {
    expect(reasonOf(validateHsCodeFormat('2'))).toMatch(/2, 4, 6, 8 or 10 digits, got 1/);
    expect(reasonOf(validateHsCodeFormat('26011'))).toMatch(/got 5/);
    expect(reasonOf(validateHsCodeFormat('260111100099'))).toMatch(/got 12/);
    expect(reasonOf(validateHsCodeFormat('2601-11'))).toMatch(/only contain digits/);
    expect(reasonOf(validateHsCodeFormat(' . '))).toMatch(/empty/);
    expect(isValidHsCodeFormat('260111')).toBe(true);
    expect(isValidHsCodeFormat('26011')).toBe(false);
  });

  it('accepts every even length from 2 to 10 and no other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) => digits(n).map((d) => [n, d] as const)),
        ([n, d]) => {
          expect(isValidHsCodeFormat(d)).toBe(n % 2 === 0 && n <= 10);
        },
      ),
    );
  });
});
