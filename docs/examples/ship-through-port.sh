#!/usr/bin/env bash
# One ship through the cluster over the API, as the demo agent, officer and terminal planner:
# pre-arrival → health declaration and risk-based quarantine mode → smart remote session →
# certificate and pratique → berth plan → berthing → cargo operations → departure.
# Needs a running demo server (npm start) and node; BASE defaults to http://localhost:8080.
set -euo pipefail
BASE=${BASE:-http://localhost:8080}
json() { node -pe "const o=JSON.parse(require('fs').readFileSync(0,'utf8')); $1"; }
token() { curl -sf -XPOST "$BASE/api/v1/auth/login" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"portcluster-demo\"}" | json 'o.token'; }
post() { # role path body
  curl -s -XPOST "$BASE$2" -H "authorization: Bearer $1" -H 'content-type: application/json' -d "$3"
}
at() { node -pe "new Date(Date.now() + ($1) * 3600e3).toISOString()"; }

AGENT=$(token agent); OFFICER=$(token officer); TERMINAL=$(token terminal)
VOYAGE="DEMO$(date +%s)"

echo "1. The agent files the call once (CSM002): QILU DEMO EXPRESS to Qingdao, declared under CNQGD/4218"
CALL=$(post "$AGENT" /api/v1/port-calls "{\"portLocode\":\"CNTAO\",\"declaredCode\":{\"portCode\":\"CNQGD\",\"customsCode\":\"4218\"},
  \"vessel\":{\"imo\":\"1001037\",\"draftM\":14.5},\"voyage\":\"$VOYAGE\",\"lastPort\":\"KRPUS\",\"lastPortDeparture\":\"$(at -10)\",
  \"eta\":\"$(at 30)\",\"etd\":\"$(at 50)\",\"purpose\":\"cargo\",\"cargoType\":\"container\",\"crewCount\":22,\"passengerCount\":4,\"dangerousGoods\":false}" | json 'o.id')
echo "   port call $CALL"

echo "2. The agent declares health (nine answers, sanitation certificate); the rules propose a mode"
CASE=$(post "$AGENT" "/api/v1/port-calls/$CALL/quarantine" '{"healthDeclaration":{"master":"LI Wei","answers":{"deaths":false,"infectiousDisease":false,
  "illPassengersAboveNormal":false,"illPersonsNow":false,"medicalPractitionerConsulted":false,"infectionCondition":false,"sanitaryMeasureApplied":false,
  "stowaways":false,"sickAnimal":false}},"sanitationCertificate":{"number":"QD-SSC-0117","issuedOn":"2026-03-01","issuedAt":"CNTAO"},
  "crewHealth":{"feverCount":0,"illCount":0}}' | json 'o.id')
curl -s "$BASE/api/v1/quarantine-cases/$CASE" -H "authorization: Bearer $OFFICER" |
  json '`   proposed ${o.proposedMode} (score ${o.assessment.score}): ${o.assessment.reasons.map(r=>r.reasonEn).join("; ")}`'

echo "3. The terminal tries to start cargo operations before pratique: refused, and customs gets an alarm event"
post "$TERMINAL" "/api/v1/port-calls/$CALL/berth-plan" "{\"berthId\":\"$(curl -s "$BASE/api/v1/berths?q=QQCT-01" -H "authorization: Bearer $TERMINAL" | json 'o.items[0].id')\",\"start\":\"$(at 31)\",\"end\":\"$(at 49)\"}" >/dev/null
post "$AGENT" "/api/v1/port-calls/$CALL/arrival" "{\"at\":\"$(at 0)\",\"place\":\"anchorage\"}" >/dev/null
post "$TERMINAL" "/api/v1/port-calls/$CALL/berthing" '{}' >/dev/null
post "$TERMINAL" "/api/v1/port-calls/$CALL/cargo-operations/start" '{}' | json '`   ${o.error.code}: ${o.error.message}`'

echo "4. The officer runs a smart remote session and grants pratique"
post "$OFFICER" "/api/v1/quarantine-cases/$CASE/mode" '{"mode":"smart-remote"}' >/dev/null
post "$OFFICER" "/api/v1/quarantine-cases/$CASE/remote-session" '{}' >/dev/null
post "$OFFICER" "/api/v1/quarantine-cases/$CASE/remote-findings" '{"temperatures":[{"person":"Master","celsius":36.6},{"person":"Cook","celsius":36.8}],
  "medicalLog":{"fileName":"medical-log.pdf","sha256":"'"$(printf 'log' | sha256sum | cut -c1-64)"'","pages":3},"video":{"satisfactory":true,"findings":"galley and stores clean"}}' >/dev/null
post "$OFFICER" "/api/v1/quarantine-cases/$CASE/pratique" '{}' | json '`   certificate ${o.certificateNo}, quarantine took ${o.durationMinutes} min`'

echo "5. Cargo operations now start; then the agent reports departure and the ship leaves"
post "$TERMINAL" "/api/v1/port-calls/$CALL/cargo-operations/start" '{}' | json '`   cargo operations started ${o.cargoOpsStartedAt}`'
post "$TERMINAL" "/api/v1/port-calls/$CALL/cargo-operations/complete" '{}' >/dev/null
post "$AGENT" "/api/v1/port-calls/$CALL/departure-report" "{\"etd\":\"$(at 1)\"}" >/dev/null
post "$AGENT" "/api/v1/port-calls/$CALL/departure" '{}' | json '`   ${o.state}; re-declarations ${o.redeclarations}, avoided ${o.redeclarationsAvoided}`'

echo "6. The call's timeline (every step an event):"
curl -s "$BASE/api/v1/events?aggregateId=$CALL&limit=100" -H "authorization: Bearer $OFFICER" | json 'o.items.map(e => "   " + e.occurredAt + " " + e.type).join("\n")'
curl -s "$BASE/api/v1/quarantine/kpis" -H "authorization: Bearer $OFFICER" | json '`KPIs: ${o.granted} granted, median ${o.medianDurationMinutes} min, remote share ${o.remoteShare}`'
