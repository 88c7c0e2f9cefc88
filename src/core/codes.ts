/**
 * Validators for the identifiers that appear on port and customs documents. Pure functions:
 * no database, no I/O. Each returns either the normalised value or a reason a person can act on.
 */

export type CodeCheck = { ok: true; value: string } | { ok: false; reason: string };

const fail = (reason: string): CodeCheck => ({ ok: false, reason });
const pass = (value: string): CodeCheck => ({ ok: true, value });

// Quote the offending input in reasons, shortened so a pasted document cannot flood a log line.
const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

// ---------------------------------------------------------------------------------------------
// UN/LOCODE

const LOCODE_COUNTRY = /^[A-Z]{2}$/;
const LOCODE_LOCATION = /^[A-Z2-9]{3}$/;

/**
 * UN/LOCODE: ISO 3166 alpha-2 country + 3-character location (letters and digits 2-9).
 * Only the shape of the country part is checked, not membership of the ISO 3166 list.
 * "CN QGD" (the spaced form printed in the UN/LOCODE tables) is accepted as CNQGD.
 */
export const validateUnLocode = (s: string): CodeCheck => {
  let v = s.trim().toUpperCase();
  if (/^[A-Z]{2} [A-Z0-9]{3}$/.test(v)) {
    v = v.replace(' ', '');
  }
  if (v.length === 0) {
    return fail('UN/LOCODE is empty');
  }
  if (v.length !== 5) {
    return fail(`UN/LOCODE ${show(s)} must be 5 characters (2-letter country + 3-character location), got ${v.length}`);
  }
  const country = v.slice(0, 2);
  const location = v.slice(2);
  if (!LOCODE_COUNTRY.test(country)) {
    return fail(`UN/LOCODE ${show(s)}: country part "${country}" must be 2 letters (ISO 3166 alpha-2)`);
  }
  if (!LOCODE_LOCATION.test(location)) {
    return fail(`UN/LOCODE ${show(s)}: location part "${location}" may only use letters A-Z and digits 2-9`);
  }
  return pass(v);
};

export const isValidUnLocode = (s: string): boolean => validateUnLocode(s).ok;

// ---------------------------------------------------------------------------------------------
// IMO ship identification number

/** Check digit of an IMO number from its first six digits (weights 7..2, sum mod 10). */
export const imoCheckDigit = (first6: string): number => {
  if (!/^\d{6}$/.test(first6)) {
    throw new RangeError(`imoCheckDigit needs exactly 6 digits, got ${show(first6)}`);
  }
  let sum = 0;
  for (let i = 0; i < 6; i++) {
    sum += Number(first6[i]) * (7 - i);
  }
  return sum % 10;
};

/** Accepts "IMO 9321483", "IMO9321483" or "9321483"; the normalised value is the 7 digits. */
export const validateImoNumber = (s: string): CodeCheck => {
  const trimmed = s.trim();
  if (trimmed.length === 0) {
    return fail('IMO number is empty');
  }
  const digits = trimmed.replace(/^IMO\s*/i, '');
  if (!/^\d+$/.test(digits)) {
    return fail(`IMO number ${show(s)} must be 7 digits, optionally prefixed by "IMO"`);
  }
  if (digits.length !== 7) {
    return fail(`IMO number ${show(s)} must have 7 digits, got ${digits.length}`);
  }
  const expected = imoCheckDigit(digits.slice(0, 6));
  if (Number(digits[6]) !== expected) {
    return fail(`IMO number ${show(s)} fails its check digit: last digit should be ${expected}, not ${digits[6]}`);
  }
  return pass(digits);
};

export const isValidImoNumber = (s: string): boolean => validateImoNumber(s).ok;

// ---------------------------------------------------------------------------------------------
// ISO 6346 container number

// ISO 6346 letter values start at A=10 and skip multiples of 11 (11, 22, 33), so that no letter
// is worth the modulus and transpositions stay detectable.
const CONTAINER_LETTER_VALUES: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  let value = 10;
  for (let c = 65; c <= 90; c++) {
    if (value % 11 === 0) {
      value++;
    }
    m.set(String.fromCharCode(c), value);
    value++;
  }
  return m;
})();

/**
 * ISO 6346 check digit of owner code + category + serial (4 letters, 6 digits): each character's
 * value times 2^position, summed, mod 11, then mod 10 (a remainder of 10 becomes 0).
 */
export const containerCheckDigit = (first10: string): number => {
  const v = first10.toUpperCase();
  if (!/^[A-Z]{4}\d{6}$/.test(v)) {
    throw new RangeError(`containerCheckDigit needs 4 letters + 6 digits, got ${show(first10)}`);
  }
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const ch = v[i] as string;
    const value = i < 4 ? (CONTAINER_LETTER_VALUES.get(ch) as number) : Number(ch);
    sum += value * 2 ** i;
  }
  return (sum % 11) % 10;
};

/** A valid ISO 6346 freight-container number (category U) for an owner code and a serial (demo data and tests). */
export const containerNumber = (owner: string, serial: number): string => {
  const first10 = `${owner}U${String(serial).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
};

/** ISO 6346: 3-letter owner code, category U/J/Z, 6-digit serial, check digit. Spaces and hyphens are ignored. */
export const validateContainerNumber = (s: string): CodeCheck => {
  const v = s.toUpperCase().replace(/[\s-]+/g, '');
  if (v.length === 0) {
    return fail('container number is empty');
  }
  if (v.length !== 11) {
    return fail(`container number ${show(s)} must be 11 characters (owner code, category, 6-digit serial, check digit), got ${v.length}`);
  }
  const owner = v.slice(0, 3);
  const category = v.slice(3, 4);
  const serial = v.slice(4, 10);
  const check = v.slice(10);
  if (!/^[A-Z]{3}$/.test(owner)) {
    return fail(`container number ${show(s)}: owner code "${owner}" must be 3 letters`);
  }
  if (!/^[UJZ]$/.test(category)) {
    return fail(
      `container number ${show(s)}: category identifier "${category}" must be U (freight container), J (detachable equipment) or Z (trailer/chassis)`,
    );
  }
  if (!/^\d{6}$/.test(serial)) {
    return fail(`container number ${show(s)}: serial number "${serial}" must be 6 digits`);
  }
  if (!/^\d$/.test(check)) {
    return fail(`container number ${show(s)}: check digit "${check}" must be a digit`);
  }
  const expected = containerCheckDigit(v.slice(0, 10));
  if (Number(check) !== expected) {
    return fail(`container number ${show(s)} fails its check digit: should be ${expected}, not ${check}`);
  }
  return pass(v);
};

export const isValidContainerNumber = (s: string): boolean => validateContainerNumber(s).ok;

// ---------------------------------------------------------------------------------------------
// HS code (format only; whether the code exists is a registry lookup)

const HS_LENGTHS = new Set([2, 4, 6, 8, 10]);

/** 2, 4, 6, 8 or 10 digits; dots and spaces are dropped ("2601.11" becomes "260111"). */
export const validateHsCodeFormat = (s: string): CodeCheck => {
  const v = s.replace(/[.\s]+/g, '');
  if (v.length === 0) {
    return fail('HS code is empty');
  }
  if (!/^\d+$/.test(v)) {
    return fail(`HS code ${show(s)} may only contain digits (dots and spaces are ignored)`);
  }
  if (!HS_LENGTHS.has(v.length)) {
    return fail(`HS code ${show(s)} must have 2, 4, 6, 8 or 10 digits, got ${v.length}`);
  }
  return pass(v);
};

export const isValidHsCodeFormat = (s: string): boolean => validateHsCodeFormat(s).ok;
