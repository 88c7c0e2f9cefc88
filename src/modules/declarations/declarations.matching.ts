import type { DbOrTx } from '../../db/tx.ts';

/**
 * How a declaration meets the manifests (domain.md §2.1, §2.2): an import needs its bill on an
 * original manifest; an export is released only when the pre-stowage manifest and the arrival
 * report (MT3101) agree with it. These reads are not scoped to the caller: a declarant may not
 * read a carrier's manifest, but customs matches its declaration against it.
 */
export type BillOnManifest = {
  billId: string;
  manifestId: string;
  kind: string;
  portCallId: string;
  districtCode: string;
  grossKg: number;
  equipment: string[];
  filedAt: Date;
  callArrivedAt: Date | null;
  portLocode: string;
  terminalOrgIds: string[];
};

export const billsOnManifests = async (db: DbOrTx, billNumber: string, kinds: string[]): Promise<BillOnManifest[]> => {
  const rows = await db
    .selectFrom('bills as b')
    .innerJoin('manifests as m', 'm.id', 'b.manifest_id')
    .innerJoin('port_calls as c', 'c.id', 'b.port_call_id')
    .select([
      'b.id',
      'b.manifest_id',
      'm.kind',
      'b.port_call_id',
      'b.district_code',
      'b.gross_kg',
      'b.equipment',
      'm.filed_at',
      'c.arrived_at',
      'c.port_locode',
      'c.terminal_org_ids',
    ])
    .where('b.number', '=', billNumber)
    .where('m.kind', 'in', kinds)
    .where('m.state', '<>', 'deleted')
    .orderBy('m.filed_at', 'desc')
    .execute();
  return rows.map((r) => ({
    billId: r.id,
    manifestId: r.manifest_id,
    kind: r.kind,
    portCallId: r.port_call_id,
    districtCode: r.district_code,
    grossKg: r.gross_kg,
    equipment: r.equipment,
    filedAt: r.filed_at,
    callArrivedAt: r.arrived_at,
    portLocode: r.port_locode,
    terminalOrgIds: r.terminal_org_ids,
  }));
};

/** The bill of an import declaration: the newest original manifest carrying it. */
export const importBill = async (db: DbOrTx, billNumber: string): Promise<BillOnManifest | undefined> =>
  (await billsOnManifests(db, billNumber, ['import-original']))[0];

export type ExportDocuments = { preStowage: BillOnManifest | undefined; arrivalReports: BillOnManifest[] };

export const exportDocuments = async (db: DbOrTx, billNumber: string): Promise<ExportDocuments> => {
  const rows = await billsOnManifests(db, billNumber, ['export-pre-stowage', 'export-arrival-report']);
  return {
    preStowage: rows.find((r) => r.kind === 'export-pre-stowage'),
    arrivalReports: rows.filter((r) => r.kind === 'export-arrival-report'),
  };
};

/**
 * When the goods arrived, as clearance time counts it (GACC: import from the means of transport's
 * arrival, export from the arrival report): null while they have not.
 */
export type Arrival = { at: Date; portCallId: string };

export const goodsArrival = async (
  db: DbOrTx,
  d: { direction: string; bill_number: string | null; container_numbers: string[] },
): Promise<Arrival | null> => {
  if (d.bill_number === null) {
    return null;
  }
  return arrivalFrom(
    d,
    d.direction === 'import' ? { imported: await importBill(db, d.bill_number) } : { exported: await exportDocuments(db, d.bill_number) },
  );
};

/** The arrival as read from documents already at hand (the import bill, or the export documents). */
export const arrivalFrom = (
  d: { container_numbers: string[] },
  docs: { imported: BillOnManifest | undefined } | { exported: ExportDocuments },
): Arrival | null => {
  if ('imported' in docs) {
    const bill = docs.imported;
    return bill?.callArrivedAt ? { at: bill.callArrivedAt, portCallId: bill.portCallId } : null;
  }
  const reports = docs.exported.arrivalReports;
  const covered = new Set(reports.flatMap((r) => r.equipment));
  const first = reports.at(-1);
  if (first === undefined || !d.container_numbers.every((c) => covered.has(c))) {
    return null;
  }
  // the goods have arrived when the last report needed to cover every box was filed
  const at = new Date(Math.max(...reports.map((r) => r.filedAt.getTime())));
  return { at, portCallId: first.portCallId };
};

/** What does not agree between an export declaration and its manifests; empty when release may go ahead. */
export const exportDisagreements = (
  d: { container_numbers: string[]; gross_kg: number },
  docs: ExportDocuments,
  tolerance: number,
): { path: string; message: string }[] => {
  const out: { path: string; message: string }[] = [];
  if (docs.preStowage === undefined) {
    out.push({ path: '/transport/billNumber', message: 'the bill is on no pre-stowage manifest (MT2101)' });
    return out;
  }
  if (docs.arrivalReports.length === 0) {
    out.push({ path: '/transport/billNumber', message: 'no arrival report (MT3101) covers the bill yet' });
  }
  const planned = new Set(docs.preStowage.equipment);
  const arrived = new Set(docs.arrivalReports.flatMap((r) => r.equipment));
  d.container_numbers.forEach((c, k) => {
    if (planned.size > 0 && !planned.has(c)) {
      out.push({ path: `/transport/containerNumbers/${k}`, message: `${c} is not on the pre-stowage manifest's bill` });
    }
    if (docs.arrivalReports.length > 0 && !arrived.has(c)) {
      out.push({ path: `/transport/containerNumbers/${k}`, message: `${c} is not on any arrival report` });
    }
  });
  const manifested = docs.preStowage.grossKg;
  if (manifested > 0 && Math.abs(d.gross_kg - manifested) / manifested > tolerance) {
    out.push({
      path: '/grossKg',
      message: `declared ${d.gross_kg} kg against ${manifested} kg on the pre-stowage manifest (more than ${tolerance * 100} % apart)`,
    });
  }
  return out;
};
