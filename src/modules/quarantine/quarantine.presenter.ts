import type { Principal } from '../../auth/principal.ts';
import type { CaseRow, RemoteSession } from './quarantine.commands.ts';
import type { Reason } from './quarantine.rules.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

type CallFacts = { vessel_imo: string; vessel_name: string; port_locode: string; eta: Date };

/** Customs (and administrators) see the risk assessment; the agent sees the decision, not the reasons. */
export const seesAssessment = (p: Principal): boolean => p.role === 'admin' || p.orgKind === 'customs';

export const presentCase = (r: CaseRow, call: CallFacts, p: Principal) => {
  const declaration = r.health_declaration as {
    answers: Record<string, boolean>;
    header: Record<string, unknown>;
    illPersons: number;
    remarks: string;
  };
  return {
    id: r.id,
    portCallId: r.port_call_id,
    state: r.state,
    vessel: { imo: call.vessel_imo, name: call.vessel_name },
    portLocode: call.port_locode,
    eta: call.eta.toISOString(),
    declaredAt: r.declared_at.toISOString(),
    lateDeclaration: r.late_declaration,
    proposedMode: r.proposed_mode,
    forcedMode: r.forced_mode,
    mode: r.mode,
    healthDeclaration: declaration,
    sanitationCertificate:
      r.sanitation_certificate_no === null
        ? null
        : { number: r.sanitation_certificate_no, issuedOn: r.sanitation_certificate_issued_on, issuedAt: r.sanitation_certificate_port },
    crewHealth: r.crew_health as { feverCount: number; illCount: number },
    assessment: seesAssessment(p)
      ? { ruleSetVersion: r.rule_set_version, score: r.risk_score, reasons: (r.risk_reasons ?? []) as Reason[] }
      : null,
    startedAt: iso(r.started_at),
    remoteSession: (r.remote_session ?? null) as RemoteSession | null,
    escalatedAt: iso(r.escalated_at),
    escalationReason: r.escalation_reason,
    certificateNo: r.certificate_no,
    certificateIssuedAt: iso(r.certificate_issued_at),
    pratiqueGrantedAt: iso(r.pratique_granted_at),
    durationMinutes:
      r.started_at === null || r.certificate_issued_at === null
        ? null
        : Math.round((r.certificate_issued_at.getTime() - r.started_at.getTime()) / 60_000),
    version: r.version,
  };
};
