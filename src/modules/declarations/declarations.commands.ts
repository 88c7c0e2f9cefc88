import { sql, type Selectable } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import { isoDate, type Clock } from '../../core/clock.ts';
import { validateContainerNumber } from '../../core/codes.ts';
import { AppError, type ErrorDetail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { DeclarationsTable } from '../../db/schema.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import { appendEvents, type Actor, type NewEvent } from '../../events/event-log.ts';
import { knownHeadings } from '../cargo/index.ts';
import { issueInstructions, type InstructionCode } from '../instructions/index.ts';
import { policyInForce } from '../policies/index.ts';
import { validAt } from '../registry/index.ts';
import { CUSTOMS_RISK_POLICY, evaluateRisk, type CreditClass, type RiskFacts, type RiskResult, type RiskRuleSet } from '../risk/index.ts';
import { DECLARATION_RULES_POLICY, type DeclarationRules } from './declaration-rules.ts';
import { DeclarationErrorCode } from './declarations.errors.ts';
import { declarationProblems, type DeclarationInput } from './declarations.input.ts';
import { nextStatus, type DeclarationCommand, type DeclarationStatus } from './declarations.machine.ts';
import { arrivalFrom, exportDisagreements, exportDocuments, goodsArrival, importBill, type Arrival } from './declarations.matching.ts';

export type Deps = { db: DbOrTx; clock: Clock };
export type DeclarationRow = Selectable<DeclarationsTable>;

const DAY = 86_400_000;
const RULE_ACTOR = (r: RiskResult): Actor => ({ type: 'rule', id: `${CUSTOMS_RISK_POLICY}@v${r.ruleSetVersion}` });

const invalid = (details: ErrorDetail[], code: string = DeclarationErrorCode.INVALID_FIELD): AppError =>
  new AppError('INVALID_INPUT', code, details.map((d) => `${d.path}: ${d.message}`).join('; '), details);

/** Who sees a declaration's events: its declarant and customs of the district. Risk events: customs only. */
const audience = (d: { declarant_org_id: string; district_code: string }) => ({
  orgIds: [d.declarant_org_id],
  districtCode: d.district_code,
});
const customsOnly = (d: { district_code: string }) => ({ orgIds: [] as string[], districtCode: d.district_code });

type Checked = {
  input: DeclarationInput;
  enterprise: { code: string; creditClass: CreditClass };
  districtCode: string;
  bill: { manifestId: string | null; portCallId: string | null; grossKg: number | null };
  rules: DeclarationRules;
  /** When the goods arrived, from the documents read for the check. */
  arrival: Arrival | null;
};

/** The most telling code for a set of problems (one kind of problem gets its own code). */
const errorCodeOf = (problems: ErrorDetail[]): string => {
  if (problems.every((p) => /\/items\/\d+\/hsCode$/.test(p.path))) {
    return DeclarationErrorCode.UNKNOWN_HS_CODE;
  }
  if (problems.every((p) => p.path === '/netKg' || p.path === '/grossKg')) {
    return DeclarationErrorCode.WEIGHTS_DO_NOT_ADD_UP;
  }
  if (problems.every((p) => p.path === '/transport/billNumber')) {
    return DeclarationErrorCode.BILL_NOT_MANIFESTED;
  }
  return DeclarationErrorCode.INVALID_FIELD;
};

/**
 * Everything a declaration must satisfy before it is stored, with every problem at once: the
 * arithmetic of the form, the nomenclature, the declarant's own enterprise, the office, and for
 * an import its bill on an original manifest (with the declared boxes on that bill).
 */
const check = async (db: DbOrTx, principal: Principal, sent: DeclarationInput, now: Date): Promise<Checked> => {
  const problems = declarationProblems(sent);
  // box numbers as the manifests and the terminal write them (upper case, no spaces)
  const input: DeclarationInput = {
    ...sent,
    transport: {
      ...sent.transport,
      containerNumbers: sent.transport.containerNumbers.map((c) => {
        const n = validateContainerNumber(c);
        return n.ok ? n.value : c;
      }),
    },
  };
  const today = isoDate(now);
  const [known, enterprise, office, rulesPolicy] = await Promise.all([
    knownHeadings(
      db,
      input.items.map((i) => i.hsCode.slice(0, 6)),
    ),
    db
      .selectFrom('enterprises')
      .select(['customs_reg_code', 'customs_credit_class'])
      .where('customs_reg_code', '=', input.enterpriseCode)
      .where(visibleTo('enterprises', principal))
      .where(validAt(today))
      .executeTakeFirst(),
    db
      .selectFrom('customs_offices')
      .select(['code', 'district_code'])
      .where('code', '=', input.customsCode)
      .where(validAt(today))
      .executeTakeFirst(),
    policyInForce<DeclarationRules>(db, DECLARATION_RULES_POLICY, now),
  ]);
  input.items.forEach((item, k) => {
    if (!known.has(item.hsCode.slice(0, 6))) {
      problems.push({
        path: `/items/${k}/hsCode`,
        message: `${item.hsCode} is not in the HS nomenclature (its subheading ${item.hsCode.slice(0, 6)} is unknown)`,
      });
    }
  });
  if (enterprise === undefined) {
    problems.push({ path: '/enterpriseCode', message: `${input.enterpriseCode} is not an enterprise your organisation declares for` });
  }
  if (office === undefined) {
    problems.push({ path: '/customsCode', message: `${input.customsCode} is not a customs office` });
  }
  if (input.ieCustomsCode !== undefined && input.ieCustomsCode !== input.customsCode) {
    const ie = await db
      .selectFrom('customs_offices')
      .select('code')
      .where('code', '=', input.ieCustomsCode)
      .where(validAt(today))
      .executeTakeFirst();
    if (ie === undefined) {
      problems.push({ path: '/ieCustomsCode', message: `${input.ieCustomsCode} is not a customs office` });
    }
  }
  let bill: Checked['bill'] = { manifestId: null, portCallId: null, grossKg: null };
  let arrival: Arrival | null = null;
  if (input.direction === 'import') {
    const b = await importBill(db, input.transport.billNumber);
    arrival = arrivalFrom({ container_numbers: input.transport.containerNumbers }, { imported: b });
    if (b === undefined) {
      problems.push({
        path: '/transport/billNumber',
        message: `bill ${input.transport.billNumber} is on no import manifest: declare once the carrier has filed it`,
      });
    } else {
      bill = { manifestId: b.manifestId, portCallId: b.portCallId, grossKg: b.grossKg };
      const onBill = new Set(b.equipment);
      input.transport.containerNumbers.forEach((c, k) => {
        if (onBill.size > 0 && !onBill.has(c)) {
          problems.push({ path: `/transport/containerNumbers/${k}`, message: `${c} is not on bill ${input.transport.billNumber}` });
        }
      });
    }
  } else {
    const docs = await exportDocuments(db, input.transport.billNumber);
    if (docs.preStowage !== undefined) {
      bill = { manifestId: docs.preStowage.manifestId, portCallId: docs.preStowage.portCallId, grossKg: docs.preStowage.grossKg };
      arrival = arrivalFrom({ container_numbers: input.transport.containerNumbers }, { exported: docs });
    }
  }
  const rules = rulesPolicy.document;
  if (enterprise !== undefined && input.procedure === 'two-step' && !rules.twoStepCreditClasses.includes(enterprise.customs_credit_class)) {
    problems.push({
      path: '/procedure',
      message: `enterprises of credit class ${enterprise.customs_credit_class} may not use two-step declaration`,
    });
  }
  const rate = (currency: string) => rules.ratesToCny[currency];
  if (rate(input.currency) === undefined) {
    problems.push({ path: '/currency', message: `no customs exchange rate for ${input.currency}` });
  }
  if (input.guarantee !== undefined && rate(input.guarantee.currency) === undefined) {
    problems.push({ path: '/guarantee/currency', message: `no customs exchange rate for ${input.guarantee.currency}` });
  }
  if (problems.length > 0 || enterprise === undefined || office === undefined) {
    throw invalid(problems, errorCodeOf(problems));
  }
  return {
    input,
    enterprise: { code: enterprise.customs_reg_code, creditClass: enterprise.customs_credit_class as CreditClass },
    districtCode: office.district_code,
    bill,
    rules,
    arrival,
  };
};

const factsOf = (id: string, c: Checked): RiskFacts => {
  const rate = c.rules.ratesToCny[c.input.currency] ?? 1;
  return {
    declarationId: id,
    direction: c.input.direction,
    procedure: c.input.procedure,
    creditClass: c.enterprise.creditClass,
    enterpriseCode: c.enterprise.code,
    customsCode: c.input.customsCode,
    tradeMode: c.input.tradeMode,
    transMode: c.input.transactionTerms,
    items: c.input.items.map((i, k) => ({
      seq: k + 1,
      hsCode: i.hsCode,
      description: i.description,
      origin: i.origin,
      netKg: i.netKg,
      value: Math.round(i.value * rate * 100) / 100,
    })),
    declaredGrossKg: c.input.grossKg,
    manifestedGrossKg: c.bill.grossKg,
    rebate: c.input.rebate ?? false,
  };
};

const assess = async (db: DbOrTx, facts: RiskFacts, at: Date): Promise<RiskResult> => {
  const policy = await policyInForce<RiskRuleSet>(db, CUSTOMS_RISK_POLICY, at);
  return evaluateRisk(facts, policy.document, policy.version);
};

const columnsOf = (c: Checked) => ({
  direction: c.input.direction,
  procedure: c.input.procedure,
  enterprise_code: c.enterprise.code,
  credit_class: c.enterprise.creditClass,
  customs_code: c.input.customsCode,
  district_code: c.districtCode,
  port_call_id: c.bill.portCallId,
  bill_number: c.input.transport.billNumber,
  manifest_id: c.bill.manifestId,
  container_numbers: c.input.transport.containerNumbers,
  packages: c.input.packages,
  gross_kg: c.input.grossKg,
  net_kg: c.input.netKg,
  total_value: c.input.items.reduce((s, i) => s + i.value, 0),
  currency: c.input.currency,
  guarantee: c.input.guarantee === undefined ? null : JSON.stringify(c.input.guarantee),
  document: JSON.stringify(c.input),
});

const statusEvent = (d: DeclarationRow, type: string, actor: Actor, payload: Record<string, unknown>, at?: Date): NewEvent => ({
  type,
  aggregateType: 'declaration',
  aggregateId: d.id,
  actor,
  ...audience(d),
  payload: { entryId: d.entry_id, status: d.status, version: d.version, ...payload },
  ...(at === undefined ? {} : { occurredAt: at }),
});

const riskEvent = (d: DeclarationRow, risk: RiskResult): NewEvent => ({
  type: 'declaration.risk-assessed',
  aggregateType: 'declaration',
  aggregateId: d.id,
  actor: RULE_ACTOR(risk),
  ...customsOnly(d),
  payload: { entryId: d.entry_id, ruleSetVersion: risk.ruleSetVersion, channel: risk.channel, fired: risk.fired.map((f) => f.ruleId) },
});

/** One instruction per declared box, or one for the bill when no box is named; their events go with the caller's. */
const instruct = async (
  trx: Tx,
  clock: Clock,
  d: DeclarationRow,
  portCallId: string,
  code: InstructionCode,
  actor: Actor,
  events: NewEvent[],
) => {
  const subjects: { scope: 'container' | 'bill'; subject: string }[] =
    d.container_numbers.length > 0
      ? d.container_numbers.map((c) => ({ scope: 'container', subject: c }))
      : [{ scope: 'bill', subject: d.bill_number ?? '' }];
  await issueInstructions(
    trx,
    clock,
    { portCallId, direction: d.direction as 'import' | 'export', code, sendTime: clock.now(), declarationId: d.id, actor },
    subjects,
    events,
  );
};

/**
 * Release: P at once when the goods have arrived, else authorised and P follows on arrival
 * (advance declaration). An export is released only when declaration, pre-stowage manifest and
 * arrival report agree. Release sends the terminal its instruction (2 import, 1 export).
 */
const releaseOrAuthorise = async (
  trx: Tx,
  clock: Clock,
  declaration: DeclarationRow,
  actor: Actor,
  events: NewEvent[],
  known?: { arrival: Arrival | null; rules: DeclarationRules },
): Promise<DeclarationRow> => {
  let d = declaration;
  const now = clock.now();
  const arrival = known === undefined ? await goodsArrival(trx, d) : known.arrival;
  if (arrival === null) {
    if (d.release_authorised_at !== null) {
      return d;
    }
    const row = await trx
      .updateTable('declarations')
      .set({ release_authorised_at: now, version: d.version + 1, updated_at: now })
      .where('id', '=', d.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    events.push(statusEvent(row, 'declaration.release-authorised', actor, { releaseOnArrival: true }));
    return row;
  }
  const rules = known?.rules ?? (await policyInForce<DeclarationRules>(trx, DECLARATION_RULES_POLICY, now)).document;
  if (d.goods_arrived_at === null) {
    d = await setArrival(trx, now, d, arrival.at, rules);
    events.push(
      statusEvent(d, 'declaration.goods-arrived', actor, { arrivedAt: arrival.at.toISOString(), portCallId: arrival.portCallId }),
    );
  }
  let portCallId = arrival.portCallId;
  if (d.direction === 'export') {
    const docs = await exportDocuments(trx, d.bill_number ?? '');
    const problems = exportDisagreements(d, docs, rules.exportWeightTolerance);
    if (problems.length > 0 || docs.preStowage === undefined) {
      throw new AppError(
        'UNPROCESSABLE',
        DeclarationErrorCode.DOCUMENTS_DO_NOT_AGREE,
        'Declaration, pre-stowage manifest and arrival report do not agree',
        problems,
      );
    }
    portCallId = docs.preStowage.portCallId;
  }
  const row = await trx
    .updateTable('declarations')
    .set({
      status: 'P',
      released_at: now,
      release_authorised_at: d.release_authorised_at ?? now,
      port_call_id: portCallId,
      version: d.version + 1,
      updated_at: now,
    })
    .where('id', '=', d.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await instruct(trx, clock, row, portCallId, d.direction === 'import' ? '2' : '1', actor, events);
  events.push(statusEvent(row, 'declaration.released', actor, { from: d.status }));
  return row;
};

/**
 * A declarant's declaration: checked, numbered, stored as received (L) and assessed by the risk
 * rules in force in the same transaction. The release channel is paperless: reviewed by the rule
 * and released at once (or on arrival); every other channel waits in an officer's queue.
 */
export const declare = async ({ db, clock }: Deps, principal: Principal, input: DeclarationInput): Promise<DeclarationRow> => {
  const now = clock.now();
  const checked = await check(db, principal, input, now);
  const id = newId('declaration', now);
  const facts = factsOf(id, checked);
  const risk = await assess(db, facts, now);
  // entry number [R]: office, year, I/E flag, then a 9-digit serial taken by the insert itself
  const entryPrefix = `${input.customsCode}${now.getUTCFullYear()}${input.direction === 'import' ? '1' : '0'}`;
  const arrival = checked.arrival;
  // the release channel is reviewed by the rule at once: the row is written as reviewed (J, version
  // 2) and the events tell both steps; every other channel waits in L
  const paperless = risk.channel === 'release';
  return inTransaction(db, async (trx) => {
    // the declaration and its first document version in one statement
    const stored = await trx
      .with('d', (q) =>
        q
          .insertInto('declarations')
          .values({
            id,
            entry_id: sql<string>`${entryPrefix} || lpad((nextval('declaration_entry_seq') % 1000000000)::text, 9, '0')`,
            declarant_org_id: principal.orgId,
            ...columnsOf(checked),
            stage: input.procedure === 'two-step' ? 'summary' : null,
            status: paperless ? 'J' : 'L',
            version: paperless ? 2 : 1,
            goods_arrived_at: arrival?.at ?? null,
            complete_due_at: arrival !== null && input.procedure === 'two-step' ? completeDue(arrival.at, checked.rules) : null,
            channel: risk.channel,
            risk: JSON.stringify(risk),
            risk_facts: JSON.stringify(facts),
            declared_at: now,
            updated_at: now,
          })
          .returningAll(),
      )
      .with('v', (q) =>
        q
          .insertInto('declaration_versions')
          .values({ declaration_id: id, version: 1, recorded_at: now, recorded_by: principal.id, document: JSON.stringify(checked.input) })
          .returning('version'),
      )
      .selectFrom('d')
      .selectAll()
      .executeTakeFirstOrThrow();
    const received: DeclarationRow = { ...stored, status: 'L', version: 1 };
    const events: NewEvent[] = [
      statusEvent(received, 'declaration.received', actorOf(principal), { direction: input.direction, procedure: input.procedure }),
      riskEvent(received, risk),
    ];
    if (arrival !== null) {
      events.push(
        statusEvent(received, 'declaration.goods-arrived', SYSTEM_ARRIVAL, {
          arrivedAt: arrival.at.toISOString(),
          portCallId: arrival.portCallId,
        }),
      );
    }
    let row = stored;
    if (paperless) {
      events.push(statusEvent(stored, 'declaration.reviewed', RULE_ACTOR(risk), { from: 'L', paperless: true }));
      row = await releaseOrAuthorise(trx, clock, stored, RULE_ACTOR(risk), events, { arrival, rules: checked.rules });
    }
    await appendEvents(trx, clock, events);
    return row;
  });
};

const completeDue = (arrivedAt: Date, rules: DeclarationRules): Date => new Date(arrivedAt.getTime() + rules.twoStepCompleteDays * DAY);

const SYSTEM_ARRIVAL: Actor = { type: 'system', id: 'declarations.arrival' };

const setArrival = async (trx: Tx, now: Date, d: DeclarationRow, at: Date, rules: DeclarationRules): Promise<DeclarationRow> =>
  trx
    .updateTable('declarations')
    .set({
      goods_arrived_at: at,
      complete_due_at: d.procedure === 'two-step' ? completeDue(at, rules) : null,
      version: d.version + 1,
      updated_at: now,
    })
    .where('id', '=', d.id)
    .returningAll()
    .executeTakeFirstOrThrow();

/** The row for a command, locked; not found when the caller may not see it. */
const lockDeclaration = async (trx: Tx, principal: Principal, id: string, expectedVersion: number | undefined): Promise<DeclarationRow> => {
  const row = await trx
    .selectFrom('declarations')
    .selectAll()
    .where('id', '=', id)
    .where(visibleTo('declarations', principal))
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) {
    throw new AppError('NOT_FOUND', DeclarationErrorCode.NOT_FOUND, `No declaration ${id}`);
  }
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new AppError(
      'CONFLICT',
      DeclarationErrorCode.STALE_VERSION,
      `Declaration ${id} is at version ${row.version}, not ${expectedVersion}`,
      [{ path: '/expectedVersion', message: `current version is ${row.version}` }],
    );
  }
  return row;
};

const refuse = (d: DeclarationRow, command: string): AppError =>
  new AppError('INVALID_TRANSITION', DeclarationErrorCode.INVALID_TRANSITION, `A declaration in status ${d.status} cannot ${command}`, [
    { path: '/command', message: `not allowed in status ${d.status}` },
  ]);

export type ActInput = {
  expectedVersion?: number;
  reason?: string;
  /** order-inspection: the method; defaults from the risk channel. */
  method?: 'machine-scan' | 'manual' | 'machine-then-manual';
  /** record-inspection: what the inspection found. */
  outcome?: 'clear' | 'discrepancy';
  /** assess-duty: the amount payable, in CNY. */
  amountCny?: number;
};

const PAST: Record<DeclarationCommand, string> = {
  review: 'reviewed',
  'order-inspection': 'inspection-ordered',
  'record-inspection': 'inspection-recorded',
  'assess-duty': 'duty-assessed',
  'record-payment': 'payment-recorded',
  release: 'released',
  close: 'closed',
  return: 'returned',
  reject: 'rejected',
  suspend: 'suspended',
  resume: 'resumed',
  amend: 'amended',
  withdraw: 'withdrawn',
};

/**
 * An officer's action (or the declarant's withdrawal). One row lock per declaration: of two
 * officers acting at once, the second finds the status moved on (409), or a stale version (409).
 */
export const act = async (
  { db, clock }: Deps,
  principal: Principal,
  id: string,
  command: Exclude<DeclarationCommand, 'amend'>,
  input: ActInput,
): Promise<DeclarationRow> =>
  inTransaction(db, async (trx) => {
    const d = await lockDeclaration(trx, principal, id, input.expectedVersion);
    let to = nextStatus(d.status as DeclarationStatus, command);
    if (to === null) {
      throw refuse(d, command);
    }
    const actor = actorOf(principal);
    const now = clock.now();
    const events: NewEvent[] = [];
    const payload: Record<string, unknown> = { from: d.status };
    if (input.reason !== undefined) {
      payload.reason = input.reason;
    }
    if (command === 'release') {
      if (d.release_authorised_at !== null && d.status === 'J') {
        throw new AppError(
          'CONFLICT',
          DeclarationErrorCode.INVALID_TRANSITION,
          `Declaration ${id} is already released, pending the goods' arrival`,
        );
      }
      const row = await releaseOrAuthorise(trx, clock, d, actor, events);
      await appendEvents(trx, clock, events);
      return row;
    }
    if (command === 'order-inspection') {
      const method = input.method ?? (d.channel === 'manual-inspection' ? 'manual' : 'machine-scan');
      // the method follows from the risk channel: customs-only, like the channel itself
      events.push({
        type: 'declaration.inspection-method-chosen',
        aggregateType: 'declaration',
        aggregateId: d.id,
        actor,
        ...customsOnly(d),
        payload: { entryId: d.entry_id, method },
      });
      if (d.port_call_id === null) {
        throw new AppError(
          'UNPROCESSABLE',
          DeclarationErrorCode.DOCUMENTS_DO_NOT_AGREE,
          'The goods are on no manifested call yet: nothing to inspect',
          [{ path: '/transport/billNumber', message: 'not yet on a manifest of a call' }],
        );
      }
      await instruct(trx, clock, d, d.port_call_id, method === 'manual' ? 'A' : 'B', actor, events);
    }
    if (command === 'record-inspection') {
      if (input.outcome === undefined) {
        throw invalid([{ path: '/outcome', message: 'clear or discrepancy' }]);
      }
      payload.outcome = input.outcome;
      if (input.outcome === 'discrepancy') {
        to = 'H';
      }
    }
    if (command === 'assess-duty') {
      if (input.amountCny === undefined) {
        throw invalid([{ path: '/amountCny', message: 'the duty payable, in CNY' }]);
      }
      payload.amountCny = input.amountCny;
    }
    if (command === 'withdraw' && d.release_authorised_at !== null) {
      throw new AppError('INVALID_TRANSITION', DeclarationErrorCode.INVALID_TRANSITION, 'A released declaration cannot be withdrawn');
    }
    const row = await trx
      .updateTable('declarations')
      .set({ status: to, version: d.version + 1, updated_at: now, ...(to === 'R' ? { closed_at: now } : {}) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    events.push(statusEvent(row, `declaration.${PAST[command]}`, actor, payload));
    await appendEvents(trx, clock, events);
    return row;
  });

type NewVersionRule = {
  /** Problems of the new document against the stored declaration, before anything is read further. */
  problems: (current: DeclarationRow, doc: DeclarationInput) => ErrorDetail[];
  /** Why the locked declaration cannot take a new version now, or null. */
  refusal: (d: DeclarationRow) => AppError | null;
  next: (d: DeclarationRow) => { status: DeclarationStatus; stage?: string };
  event: (d: DeclarationRow, now: Date) => { type: string; payload: Record<string, unknown> };
};

/** A new version of the document from the declarant: checked like a new declaration and assessed again. */
const recordNewVersion = async (
  { db, clock }: Deps,
  principal: Principal,
  id: string,
  input: { expectedVersion?: number; document: DeclarationInput },
  rule: NewVersionRule,
): Promise<DeclarationRow> => {
  const now = clock.now();
  const doc = input.document;
  const current = await db
    .selectFrom('declarations')
    .selectAll()
    .where('id', '=', id)
    .where(visibleTo('declarations', principal))
    .executeTakeFirst();
  if (current === undefined) {
    throw new AppError('NOT_FOUND', DeclarationErrorCode.NOT_FOUND, `No declaration ${id}`);
  }
  const problems = rule.problems(current, doc);
  if (problems.length > 0) {
    throw invalid(problems);
  }
  const checked = await check(db, principal, doc, now);
  const facts = factsOf(id, checked);
  const risk = await assess(db, facts, now);
  return inTransaction(db, async (trx) => {
    const d = await lockDeclaration(trx, principal, id, input.expectedVersion);
    const refusal = rule.refusal(d);
    if (refusal !== null) {
      throw refusal;
    }
    const version = d.version + 1;
    const row = await trx
      .updateTable('declarations')
      .set({
        ...columnsOf(checked),
        ...rule.next(d),
        channel: risk.channel,
        risk: JSON.stringify(risk),
        risk_facts: JSON.stringify(facts),
        version,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('declaration_versions')
      .values({ declaration_id: id, version, recorded_at: now, recorded_by: principal.id, document: JSON.stringify(checked.input) })
      .execute();
    const e = rule.event(d, now);
    await appendEvents(trx, clock, [statusEvent(row, e.type, actorOf(principal), { from: d.status, ...e.payload }), riskEvent(row, risk)]);
    return row;
  });
};

/**
 * The declarant's new version of a declaration while customs has not decided it (received,
 * returned for amendment or under re-review): back in re-review (M). After review, release or
 * closure it can no longer change.
 */
export const amend = (deps: Deps, principal: Principal, id: string, input: { expectedVersion?: number; document: DeclarationInput }) =>
  recordNewVersion(deps, principal, id, input, {
    problems: (current, doc) =>
      (['direction', 'procedure'] as const)
        .filter((f) => doc[f] !== current[f])
        .map((f) => ({ path: `/document/${f}`, message: 'cannot change; withdraw and declare again' })),
    refusal: (d) =>
      nextStatus(d.status as DeclarationStatus, 'amend') === null
        ? new AppError(
            'INVALID_TRANSITION',
            DeclarationErrorCode.AMENDMENT_NOT_ALLOWED,
            `A declaration in status ${d.status} can no longer be amended`,
            [{ path: '/document', message: `status ${d.status}: only received, returned or re-review declarations change` }],
          )
        : null,
    next: () => ({ status: 'M' }),
    event: () => ({ type: 'declaration.amended', payload: {} }),
  });

/**
 * Two-step: the complete declaration after the summary, due within the policy's days of arrival.
 * Goods already released for pick-up stay released; otherwise the declaration goes to re-review.
 */
export const complete = (deps: Deps, principal: Principal, id: string, input: { expectedVersion?: number; document: DeclarationInput }) =>
  recordNewVersion(deps, principal, id, input, {
    problems: (_current, doc) =>
      doc.procedure !== 'two-step' || doc.summary === undefined
        ? [
            {
              path: '/document/procedure',
              message: 'the complete declaration of a two-step declaration keeps procedure two-step and its summary',
            },
          ]
        : [],
    refusal: (d) =>
      d.procedure !== 'two-step' || d.stage !== 'summary' || ['D', 'E', 'R'].includes(d.status)
        ? new AppError(
            'INVALID_TRANSITION',
            DeclarationErrorCode.INVALID_TRANSITION,
            `Declaration ${d.id} has no summary awaiting its complete declaration`,
          )
        : null,
    next: (d) => ({ status: d.status === 'P' ? 'P' : 'M', stage: 'complete' }),
    event: (d, now) => ({
      type: 'declaration.completed',
      payload: {
        late: d.complete_due_at !== null && now.getTime() > d.complete_due_at.getTime(),
        dueAt: d.complete_due_at?.toISOString() ?? null,
      },
    }),
  });

/**
 * The arrival sweep (a scheduled job): notes the goods' arrival on open declarations, starts the
 * two-step clock, and releases advance declarations an officer (or the rules) already released.
 */
export const observeArrivals = async ({ db, clock }: Deps, limit = 500): Promise<{ arrived: number; released: number }> => {
  const waiting = await db
    .selectFrom('declarations')
    .select('id')
    .where('goods_arrived_at', 'is', null)
    .where('status', 'not in', ['D', 'E', 'R'])
    .orderBy('declared_at')
    .limit(limit)
    .execute();
  let arrived = 0;
  let released = 0;
  for (const { id } of waiting) {
    await inTransaction(db, async (trx) => {
      const d = await trx.selectFrom('declarations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (d === undefined || d.goods_arrived_at !== null) {
        return;
      }
      const arrival = await goodsArrival(trx, d);
      if (arrival === null) {
        return;
      }
      const now = clock.now();
      const events: NewEvent[] = [];
      if (d.release_authorised_at !== null && d.status === 'J') {
        await releaseOrAuthorise(trx, clock, d, SYSTEM_ARRIVAL, events);
        released += 1;
      } else {
        const rules = (await policyInForce<DeclarationRules>(trx, DECLARATION_RULES_POLICY, now)).document;
        const row = await setArrival(trx, now, { ...d, port_call_id: d.port_call_id ?? arrival.portCallId }, arrival.at, rules);
        events.push(
          statusEvent(row, 'declaration.goods-arrived', SYSTEM_ARRIVAL, {
            arrivedAt: arrival.at.toISOString(),
            portCallId: arrival.portCallId,
          }),
        );
      }
      arrived += 1;
      await appendEvents(trx, clock, events);
    });
  }
  return { arrived, released };
};
