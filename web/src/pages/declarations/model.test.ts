import { describe, expect, it } from 'vitest';
import {
  ageMinutes,
  containerCheckDigit,
  containerProblem,
  declarantActions,
  declarationBody,
  defaultMethod,
  fieldOfPath,
  formProblems,
  formValuesOf,
  officerActions,
  placeDetails,
  queueCards,
  queueQuery,
  type FormValues,
} from './model.ts';

const values = (over: Partial<FormValues> = {}): FormValues => ({
  direction: 'import',
  procedure: 'standard',
  enterpriseCode: ' 3702930001 ',
  customsCode: '4218',
  transport: { mode: '2', vesselName: ' ', voyage: '059E', billNumber: ' COSU6310002 ', containerNumbers: ['csqu 305438 3'] },
  tradeMode: '0110',
  transactionTerms: 'CIF',
  tradeCountry: 'kr',
  packages: 10,
  packageType: 'ct',
  grossKg: 10_500,
  netKg: 10_000,
  currency: 'usd',
  items: [
    { hsCode: '1201900000', description: 'Soya beans', quantity: 6_000, unit: 'kg', netKg: 6_000, value: 60_000, origin: 'br' },
    { hsCode: '1201900000', description: 'More', quantity: 4_000, unit: 'KG', netKg: 4_000, value: 40_000, origin: 'BR' },
  ],
  summary: { prohibitedOrRestricted: false, statutoryInspection: false, taxable: true },
  guarantee: { number: 'G-1', amount: 9, currency: 'cny', issuer: 'Bank' },
  ...over,
});

describe('the machine on screen', () => {
  it('offers the officer exactly the commands the status admits', () => {
    expect(officerActions({ status: 'L', releaseAuthorisedAt: null })).toEqual(['review', 'return', 'suspend', 'reject']);
    expect(officerActions({ status: 'J', releaseAuthorisedAt: null })).toEqual([
      'order-inspection',
      'assess-duty',
      'release',
      'return',
      'suspend',
    ]);
    // an advance release waits for the goods: a second release is not offered
    expect(officerActions({ status: 'J', releaseAuthorisedAt: '2026-11-27T00:00:00Z' })).toEqual([
      'order-inspection',
      'assess-duty',
      'return',
      'suspend',
    ]);
    expect(officerActions({ status: 'C', releaseAuthorisedAt: null })).toEqual(['record-inspection', 'suspend']);
    expect(officerActions({ status: 'P', releaseAuthorisedAt: null })).toEqual(['close']);
    expect(officerActions({ status: 'H', releaseAuthorisedAt: null })).toEqual(['resume']);
    expect(officerActions({ status: 'R', releaseAuthorisedAt: null })).toEqual([]);
  });

  it('offers the declarant amend, complete and withdraw only where the server allows them', () => {
    const base = { releaseAuthorisedAt: null, procedure: 'standard' as const, stage: null };
    expect(declarantActions({ ...base, status: 'L' })).toEqual(['amend', 'withdraw']);
    expect(declarantActions({ ...base, status: 'J' })).toEqual(['withdraw']);
    expect(declarantActions({ ...base, status: 'J', releaseAuthorisedAt: '2026-11-27T00:00:00Z' })).toEqual([]);
    expect(declarantActions({ ...base, status: 'P' })).toEqual([]);
    expect(declarantActions({ ...base, status: 'P', procedure: 'two-step', stage: 'summary' })).toEqual(['complete']);
    expect(declarantActions({ ...base, status: 'P', procedure: 'two-step', stage: 'complete' })).toEqual([]);
  });

  it('defaults the inspection method from the channel', () => {
    expect(defaultMethod('manual-inspection')).toBe('manual');
    expect(defaultMethod('machine-then-manual')).toBe('machine-then-manual');
    expect(defaultMethod('machine-scan')).toBe('machine-scan');
    expect(defaultMethod(undefined)).toBe('machine-scan');
  });
});

describe('the workbench queues', () => {
  const counts = [
    { status: 'L', channel: 'document-review', count: 3 },
    { status: 'M', channel: 'document-review', count: 1 },
    { status: 'J', channel: 'machine-scan', count: 2 },
    { status: 'C', channel: 'machine-scan', count: 4 },
    { status: 'H', channel: 'manual-inspection', count: 1 },
    { status: 'J', channel: 'release', count: 5 },
  ];

  it('sums by channel over open statuses and by status group over channels', () => {
    const cards = queueCards(counts);
    expect(cards.channels.map((c) => [c.key, c.count])).toEqual([
      ['channel:release', 5],
      ['channel:document-review', 4],
      ['channel:machine-scan', 6],
      ['channel:manual-inspection', 1],
      ['channel:machine-then-manual', 0],
    ]);
    expect(cards.statuses.map((c) => [c.key, c.count])).toEqual([
      ['status:awaiting-review', 4],
      ['status:reviewed', 7],
      ['status:inspection', 4],
      ['status:duty', 0],
      ['status:suspended', 1],
    ]);
  });

  it('asks the list for the queue', () => {
    expect(queueQuery(null)).toEqual({ status: 'L,M,J,C,T,H' });
    expect(queueQuery({ kind: 'channel', channel: 'machine-scan' })).toEqual({ status: 'L,M,J,C,T,H', channel: 'machine-scan' });
    expect(queueQuery({ kind: 'status', group: 'awaiting-review' })).toEqual({ status: 'L,M' });
  });

  it('counts the age in whole minutes', () => {
    expect(ageMinutes('2026-11-27T08:00:00Z', new Date('2026-11-27T09:30:59Z'))).toBe(90);
    expect(ageMinutes('2026-11-27T10:00:00Z', new Date('2026-11-27T09:00:00Z'))).toBe(0);
  });
});

describe('ISO 6346', () => {
  it('computes the check digit of known numbers', () => {
    // CSQU3054383 is the standard's worked example
    expect(containerCheckDigit('CSQU305438')).toBe(3);
    expect(containerCheckDigit('MSKU907032')).toBe(3);
  });

  it('names what is wrong with a number', () => {
    expect(containerProblem('CSQU3054383')).toBeNull();
    expect(containerProblem('csqu 305438-3')).toBeNull();
    expect(containerProblem('CSQU3054384')).toEqual({
      key: 'declarations.check.containerCheckDigit',
      params: { number: 'CSQU3054384', expected: 3 },
    });
    expect(containerProblem('CSQX3054383')?.key).toBe('declarations.check.containerFormat');
    expect(containerProblem('CSQU30543')?.key).toBe('declarations.check.containerFormat');
  });
});

describe('the form', () => {
  it('builds the body: trimmed, codes upper-cased, empty optionals left out', () => {
    const body = declarationBody(values({ procedure: 'standard' }));
    expect(body).toMatchObject({
      enterpriseCode: '3702930001',
      tradeCountry: 'KR',
      currency: 'USD',
      packageType: 'CT',
      transport: { mode: '2', voyage: '059E', billNumber: 'COSU6310002', containerNumbers: ['CSQU3054383'] },
    });
    expect(body.transport).not.toHaveProperty('vesselName');
    expect(body.items.map((i) => [i.unit, i.origin])).toEqual([
      ['KG', 'BR'],
      ['KG', 'BR'],
    ]);
    // summary and guarantee belong to a two-step declaration only
    expect(body).not.toHaveProperty('summary');
    expect(body).not.toHaveProperty('guarantee');
  });

  it('sends the summary with a two-step declaration, and the guarantee only when taxable', () => {
    const taxable = declarationBody(values({ procedure: 'two-step' }));
    expect(taxable.summary).toEqual({ prohibitedOrRestricted: false, statutoryInspection: false, taxable: true });
    expect(taxable.guarantee).toEqual({ number: 'G-1', amount: 9, currency: 'CNY', issuer: 'Bank' });
    const untaxed = declarationBody(
      values({ procedure: 'two-step', summary: { prohibitedOrRestricted: true, statutoryInspection: false, taxable: false } }),
    );
    expect(untaxed.summary?.prohibitedOrRestricted).toBe(true);
    expect(untaxed).not.toHaveProperty('guarantee');
  });

  it('round-trips a stored document through the form', () => {
    const body = declarationBody(values({ procedure: 'two-step' }));
    expect(declarationBody(formValuesOf(body))).toEqual(body);
    const exported = declarationBody(
      values({ direction: 'export', rebate: true, licenceNumber: ' L-1 ', ieCustomsCode: '4227', procedure: 'advance' }),
    );
    expect(exported).toMatchObject({ rebate: true, licenceNumber: 'L-1', ieCustomsCode: '4227' });
    expect(declarationBody(formValuesOf(exported))).toEqual(exported);
    expect(declarationBody(values({ rebate: false, licenceNumber: '', ieCustomsCode: ' ' }))).not.toHaveProperty('rebate');
    expect(declarationBody(values({ licenceNumber: '', ieCustomsCode: ' ' }))).not.toHaveProperty('licenceNumber');
    expect(declarationBody(values({ ieCustomsCode: ' ' }))).not.toHaveProperty('ieCustomsCode');
  });

  it('finds the problems the server would, at the same paths', () => {
    expect(formProblems(declarationBody(values()))).toEqual([]);
    const bad = declarationBody(
      values({
        direction: 'export',
        procedure: 'two-step',
        netKg: 9_000,
        grossKg: 8_000,
        transport: { mode: '2', billNumber: 'B', containerNumbers: ['CSQU3054383', 'CSQU3054384', 'CSQU3054383'] },
        items: [{ hsCode: '12019', description: 'x', quantity: 1, unit: 'KG', netKg: 9_000, value: 1, origin: 'BR' }],
      }),
    );
    expect(formProblems(bad)).toEqual([
      { path: '/grossKg', key: 'declarations.check.grossBelowNet', params: { gross: 8_000, net: 9_000 } },
      { path: '/items/0/hsCode', key: 'declarations.check.hsCode' },
      {
        path: '/transport/containerNumbers/1',
        key: 'declarations.check.containerCheckDigit',
        params: { number: 'CSQU3054384', expected: 3 },
      },
      { path: '/transport/containerNumbers/2', key: 'declarations.check.containerTwice', params: { number: 'CSQU3054383' } },
      { path: '/procedure', key: 'declarations.check.twoStepImport' },
    ]);
  });

  it("checks the items' net weights against the header within the server's tolerance", () => {
    // 10 000 kg: 10 kg tolerance (0.1 %)
    expect(formProblems(declarationBody(values({ netKg: 10_010 })))).toEqual([]);
    expect(formProblems(declarationBody(values({ netKg: 10_011 })))).toEqual([
      { path: '/netKg', key: 'declarations.check.netSum', params: { sum: 10_000, net: 10_011 } },
    ]);
    // small weights: half a kilogram
    const small = values({
      grossKg: 20,
      netKg: 10.6,
      items: [{ hsCode: '1201900000', description: 'x', quantity: 1, unit: 'KG', netKg: 10, value: 1, origin: 'BR' }],
    });
    expect(formProblems(declarationBody(small)).map((p) => p.path)).toEqual(['/netKg']);
    expect(formProblems(declarationBody({ ...small, netKg: 10.5 }))).toEqual([]);
  });
});

describe('errors on fields', () => {
  it('maps detail paths to the form fields', () => {
    expect(fieldOfPath('/netKg')).toEqual(['netKg']);
    expect(fieldOfPath('/items/3/hsCode')).toEqual(['items', 3, 'hsCode']);
    expect(fieldOfPath('/transport/billNumber')).toEqual(['transport', 'billNumber']);
    expect(fieldOfPath('/transport/containerNumbers/2')).toEqual(['transport', 'containerNumbers']);
    expect(fieldOfPath('/document/items/0/netKg')).toEqual(['items', 0, 'netKg']);
    expect(fieldOfPath('/guarantee')).toEqual(['guarantee', 'number']);
    expect(fieldOfPath('/guarantee/currency')).toEqual(['guarantee', 'currency']);
    expect(fieldOfPath('/summary')).toEqual(['summary', 'taxable']);
    expect(fieldOfPath('/items')).toBeNull();
    expect(fieldOfPath('/expectedVersion')).toBeNull();
    expect(fieldOfPath('')).toBeNull();
  });

  it('keeps several messages of one field together and the rest as general lines', () => {
    expect(
      placeDetails([
        { path: '/netKg', message: 'a' },
        { path: '/netKg', message: 'b' },
        { path: '/netKg', message: 'a' },
        { path: '/transport/containerNumbers/0', message: 'c' },
        { path: '/expectedVersion', message: 'current version is 3' },
      ]),
    ).toEqual({
      fields: [
        { name: ['netKg'], errors: ['a', 'b'] },
        { name: ['transport', 'containerNumbers'], errors: ['c'] },
      ],
      general: ['/expectedVersion: current version is 3'],
    });
  });
});
