/**
 * CUSRES (customs response) out: our decision on a declaration, one CUSRES D00B message per
 * response — BGM, DTM, GIS (the status), SG4 ERP/ERC/FTX (one per reason), SG6 DOC (the declaration).
 */
import { dtm203, interchangeText, seg, type Envelope } from './common.ts';

export type DeclarationStatus = 'accepted' | 'rejected' | 'released' | 'examination' | 'documents-required' | 'returned-for-amendment';

export interface DeclarationResponse {
  declarationNumber: string;
  status: DeclarationStatus;
  statusAt: Date;
  reasons?: string[];
}

/**
 * GIS C529 7365 processing indicator for each status. No public code list covers these six, so they
 * are mutually defined (3055 ZZZ) and must be agreed with the receiving partner.
 */
export const CUSRES_STATUS_CODES: Readonly<Record<DeclarationStatus, string>> = Object.freeze({
  accepted: 'ACC',
  rejected: 'REJ',
  released: 'REL',
  examination: 'EXA',
  'documents-required': 'DOC',
  'returned-for-amendment': 'AMD',
});

/** Writes customs responses as a full CUSRES interchange (message k gets ref `${messageRef}-${k}` when there are several). */
export function writeCusres(responses: DeclarationResponse[], envelope: Envelope): string {
  const many = responses.length > 1;
  const messages = responses.map((r, k) => {
    if (Number.isNaN(r.statusAt.getTime())) {
      throw new RangeError(`response ${k + 1}: statusAt is not a date`);
    }
    const ref = many ? `${envelope.messageRef}-${k + 1}` : envelope.messageRef;
    const segments = [
      // BGM: C002 left out (no 1001 code for a customs response could be confirmed for D00B); C106 1004
      // the reference of the message responded to (the declaration), as the CUSRES BGM note says; 1225 9 original.
      seg('BGM', '', r.declarationNumber.trim(), '9'),
      // 2005 137 document date/time = when the status was decided.
      seg('DTM', ['137', dtm203(r.statusAt), '203']),
      seg('GIS', [CUSRES_STATUS_CODES[r.status], '', 'ZZZ']),
    ];
    for (const reason of (r.reasons ?? []).map((x) => x.trim()).filter((x) => x !== '')) {
      // ERP 1049 1 = heading section; ERC 9321 mutually defined; FTX 4451 AAO error description, as many
      // FTX as needed of 5 × 512 characters (C108 4440 an..512 in D00B).
      segments.push(seg('ERP', '1'), seg('ERC', 'ZZZ'));
      for (let at = 0; at < reason.length; at += 5 * 512) {
        const text = reason.slice(at, at + 5 * 512);
        segments.push(
          seg(
            'FTX',
            'AAO',
            '',
            '',
            Array.from({ length: Math.ceil(text.length / 512) }, (_, i) => text.slice(i * 512, (i + 1) * 512)),
          ),
        );
      }
    }
    // DOC C002 1000 document name (free text), C503 1004 the declaration number.
    segments.push(seg('DOC', ['', '', '', 'CUSTOMS DECLARATION'], r.declarationNumber.trim()));
    return { ref, type: 'CUSRES', version: 'D:00B', segments };
  });
  return interchangeText(envelope, messages);
}
