import { Type, type Static } from 'typebox';
import { validateContainerNumber } from '../../core/codes.ts';
import type { ErrorDetail } from '../../core/errors.ts';

/**
 * The declaration as a declarant sends it: the entry head and items of domain.md §1.3 (names in
 * English; the customs field each one carries is in its description). Structural checks are the
 * schema's; what needs arithmetic or more than one field is `declarationProblems`.
 */
const text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });
const kg = (description: string) => Type.Number({ minimum: 0, maximum: 1e9, description });

export const ZItem = Type.Object(
  {
    hsCode: Type.String({ pattern: '^[0-9]{10}$', description: 'HS code, 10 digits (codeTs)' }),
    description: text(250, 'Goods name and specification (gName, gModel)'),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'Declared quantity (gQty)' }),
    unit: text(8, 'Declared unit (gUnit), e.g. KG, PCS, T'),
    netKg: kg('Net weight of the item'),
    grossKg: Type.Optional(kg('Gross weight of the item, when known per item')),
    value: Type.Number({ minimum: 0, maximum: 1e13, description: 'Total value of the item (declTotal), in the header currency' }),
    origin: Type.String({ pattern: '^[A-Z]{2}$', description: 'Country of origin, ISO 3166 alpha-2 (originCountry)' }),
  },
  { additionalProperties: false },
);

export const ZDeclarationInput = Type.Object(
  {
    direction: Type.Union([Type.Literal('import'), Type.Literal('export')], { description: 'I/E flag (iEFlag)' }),
    procedure: Type.Union([Type.Literal('standard'), Type.Literal('advance'), Type.Literal('two-step')]),
    enterpriseCode: Type.String({
      pattern: '^[0-9A-Z]{10}$',
      description: 'Customs registration code of the consignee/consignor (tradeCo)',
    }),
    customsCode: Type.String({ pattern: '^[0-9]{4}$', description: 'Declaring customs office (declPort)' }),
    ieCustomsCode: Type.Optional(
      Type.String({ pattern: '^[0-9]{4}$', description: 'Customs of entry/exit (iEPort); defaults to customsCode' }),
    ),
    transport: Type.Object(
      {
        mode: Type.String({ pattern: '^[0-9A-Z]$', description: 'Transport mode code (trafMode), 2 = waterway' }),
        vesselName: Type.Optional(text(70, 'trafName')),
        voyage: Type.Optional(text(35, 'voyageNo')),
        billNumber: Type.String({ minLength: 1, maxLength: 35, description: 'Bill of lading (billNo)' }),
        containerNumbers: Type.Array(Type.String({ minLength: 11, maxLength: 11 }), { maxItems: 500, description: 'contaId' }),
      },
      { additionalProperties: false },
    ),
    tradeMode: Type.String({ pattern: '^[0-9]{4}$', description: 'Trade mode (tradeMode), e.g. 0110 general trade' }),
    transactionTerms: Type.Union(
      [
        Type.Literal('CIF'),
        Type.Literal('CFR'),
        Type.Literal('FOB'),
        Type.Literal('EXW'),
        Type.Literal('FCA'),
        Type.Literal('CPT'),
        Type.Literal('CIP'),
        Type.Literal('DAP'),
        Type.Literal('DDP'),
      ],
      {
        description: 'Transaction terms (transMode)',
      },
    ),
    tradeCountry: Type.String({ pattern: '^[A-Z]{2}$', description: 'Trading / destination country' }),
    packages: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'packNo' }),
    packageType: text(8, 'wrapType'),
    grossKg: kg('grossWt'),
    netKg: kg('netWt'),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'Currency of the item values' }),
    rebate: Type.Optional(Type.Boolean({ description: 'Departure-port tax rebate (rtxType)' })),
    licenceNumber: Type.Optional(Type.String({ maxLength: 35, description: 'licenseNo' })),
    items: Type.Array(ZItem, { minItems: 1, maxItems: 50 }),
    summary: Type.Optional(
      Type.Object(
        {
          prohibitedOrRestricted: Type.Boolean(),
          statutoryInspection: Type.Boolean(),
          taxable: Type.Boolean(),
        },
        { additionalProperties: false, description: 'Two-step summary declaration: the three confirmations' },
      ),
    ),
    guarantee: Type.Optional(
      Type.Object(
        {
          number: text(35, 'Guarantee number'),
          amount: Type.Number({ exclusiveMinimum: 0, maximum: 1e13 }),
          currency: Type.String({ pattern: '^[A-Z]{3}$' }),
          issuer: text(100, 'Bank or insurer'),
        },
        { additionalProperties: false, description: 'Tax guarantee (two-step, taxable goods)' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DeclarationInput = Static<typeof ZDeclarationInput>;

/** Item weights must add up to the header's within this much (rounding per item). */
const WEIGHT_TOLERANCE_KG = (total: number) => Math.max(0.5, total * 0.001);
const round = (n: number) => Math.round(n * 1000) / 1000;

/** Checks across fields; every problem with its path, none stored. */
export const declarationProblems = (d: DeclarationInput): ErrorDetail[] => {
  const out: ErrorDetail[] = [];
  const netSum = d.items.reduce((s, i) => s + i.netKg, 0);
  if (Math.abs(netSum - d.netKg) > WEIGHT_TOLERANCE_KG(d.netKg)) {
    out.push({ path: '/netKg', message: `the items' net weights add up to ${round(netSum)} kg, not ${d.netKg}` });
  }
  if (d.items.every((i) => i.grossKg !== undefined)) {
    const grossSum = d.items.reduce((s, i) => s + (i.grossKg ?? 0), 0);
    if (Math.abs(grossSum - d.grossKg) > WEIGHT_TOLERANCE_KG(d.grossKg)) {
      out.push({ path: '/grossKg', message: `the items' gross weights add up to ${round(grossSum)} kg, not ${d.grossKg}` });
    }
  }
  if (d.netKg > d.grossKg) {
    out.push({ path: '/netKg', message: `net weight ${d.netKg} kg exceeds gross weight ${d.grossKg} kg` });
  }
  d.items.forEach((item, k) => {
    if (item.grossKg !== undefined && item.netKg > item.grossKg) {
      out.push({ path: `/items/${k}/netKg`, message: `net weight ${item.netKg} kg exceeds the item's gross weight ${item.grossKg} kg` });
    }
  });
  const seen = new Set<string>();
  d.transport.containerNumbers.forEach((c, k) => {
    const check = validateContainerNumber(c);
    if (!check.ok) {
      out.push({ path: `/transport/containerNumbers/${k}`, message: check.reason });
    } else if (seen.has(check.value)) {
      out.push({ path: `/transport/containerNumbers/${k}`, message: `${check.value} is listed twice` });
    }
    seen.add(c);
  });
  if (d.procedure === 'two-step') {
    if (d.direction !== 'import') {
      out.push({ path: '/procedure', message: 'two-step declaration is for imports' });
    }
    if (d.summary === undefined) {
      out.push({
        path: '/summary',
        message: 'a two-step summary declaration states prohibited/restricted, statutory inspection and taxable',
      });
    } else if (d.summary.taxable && d.guarantee === undefined) {
      out.push({ path: '/guarantee', message: 'taxable goods under two-step declaration need a tax guarantee filed in advance' });
    }
  } else if (d.summary !== undefined) {
    out.push({ path: '/summary', message: 'only a two-step declaration has a summary' });
  }
  return out;
};
