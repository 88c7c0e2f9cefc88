#!/usr/bin/env bash
# One box from declaration to gate-out over the API, as the demo agent, trader, officer and terminal:
# call + manifest → the trader's declaration (a bad one first) → the channel the risk rules chose,
# seen by the officer only → review / inspection / release → the terminal's instruction and gate
# check, refused before release and allowed after. Needs a running demo server (npm start) and node;
# BASE defaults to http://localhost:8080.
set -euo pipefail
BASE=${BASE:-http://localhost:8080}
json() { node -pe "const o=JSON.parse(require('fs').readFileSync(0,'utf8')); $1"; }
token() { curl -sf -XPOST "$BASE/api/v1/auth/login" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"portcluster-demo\"}" | json 'o.token'; }
post() { curl -s -XPOST "$BASE$2" -H "authorization: Bearer $1" -H 'content-type: application/json' -d "$3"; }
get() { curl -s "$BASE$2" -H "authorization: Bearer $1"; }
at() { node -pe "new Date(Date.now() + ($1) * 3600e3).toISOString()"; }
box() { node -e '
  const v = (c) => /\d/.test(c) ? +c : [10,12,13,14,15,16,17,18,19,20,21,23,24,25,26,27,28,29,30,31,32,34,35,36,37,38]["ABCDEFGHIJKLMNOPQRSTUVWXYZ".indexOf(c)];
  const s = process.argv[1] + "U" + String(Math.floor(Math.random() * 1e6)).padStart(6, "0");
  const sum = [...s].reduce((a, c, i) => a + v(c) * 2 ** i, 0);
  console.log(s + (sum % 11 % 10));' "$1"; }

AGENT=$(token agent); TRADER=$(token trader); OFFICER=$(token officer); TERMINAL=$(token terminal)
VOYAGE="DCL$(date +%s)"; BOX=$(box MSC); BILL="BL-$VOYAGE"

echo "1. A ship arrives at Qianwan with one box of smartphones on bill $BILL"
CALL=$(post "$AGENT" /api/v1/port-calls "{\"portLocode\":\"CNTAO\",\"declaredCode\":{\"portCode\":\"CNQGD\",\"customsCode\":\"4218\"},
  \"vessel\":{\"imo\":\"1001037\",\"draftM\":14.5},\"voyage\":\"$VOYAGE\",\"lastPort\":\"KRPUS\",\"lastPortDeparture\":\"$(at -30)\",
  \"eta\":\"$(at -2)\",\"etd\":\"$(at 30)\",\"purpose\":\"cargo\",\"cargoType\":\"container\",\"crewCount\":22,\"dangerousGoods\":false}" | json 'o.id')
BERTH=$(get "$TERMINAL" "/api/v1/berths?q=QQCT-01" | json 'o.items[0].id')
post "$TERMINAL" "/api/v1/port-calls/$CALL/berth-plan" "{\"berthId\":\"$BERTH\",\"start\":\"$(at -1)\",\"end\":\"$(at 29)\"}" >/dev/null
post "$AGENT" /api/v1/manifests "{\"kind\":\"import-original\",\"portCallId\":\"$CALL\",\"documentNumber\":\"MF-$VOYAGE\",
  \"bills\":[{\"number\":\"$BILL\",\"consignee\":\"Demo Import & Export (Qingdao)\",\"goods\":[{\"description\":\"Smartphones\",\"hsCode\":\"851713\",
  \"packages\":300,\"packageType\":\"CT\",\"grossKg\":5000,\"netKg\":4600,\"equipment\":[\"$BOX\"]}]}],
  \"equipment\":[{\"number\":\"$BOX\",\"sizeType\":\"22G1\",\"fullness\":\"full\"}]}" >/dev/null
post "$AGENT" "/api/v1/port-calls/$CALL/arrival" "{\"at\":\"$(at -2)\",\"place\":\"anchorage\"}" >/dev/null
echo "   port call $CALL, box $BOX"

DECL() { echo "{\"direction\":\"import\",\"procedure\":\"standard\",\"enterpriseCode\":\"3702930001\",\"customsCode\":\"4218\",
  \"transport\":{\"mode\":\"2\",\"voyage\":\"$VOYAGE\",\"billNumber\":\"$BILL\",\"containerNumbers\":[\"$BOX\"]},
  \"tradeMode\":\"0110\",\"transactionTerms\":\"CIF\",\"tradeCountry\":\"KR\",\"packages\":300,\"packageType\":\"CT\",
  \"grossKg\":5000,\"netKg\":$1,\"currency\":\"USD\",
  \"items\":[{\"hsCode\":\"8517130000\",\"description\":\"Smartphones\",\"quantity\":3000,\"unit\":\"PCS\",\"netKg\":4600,\"value\":600000,\"origin\":\"KR\"}]}"; }

echo "2. The trader declares with a header net weight the items do not add up to — refused, nothing stored"
post "$TRADER" /api/v1/declarations "$(DECL 4000)" | json '`   ${o.error.code}: ${o.error.details.map(d => d.path + " " + d.message).join("; ")}`'

echo "3. The trader declares it right: received and assessed at once"
D=$(post "$TRADER" /api/v1/declarations "$(DECL 4600)")
ID=$(echo "$D" | json 'o.id')
echo "$D" | json '`   ${o.entryId}: status ${o.status} (${o.statusName.en}); the trader sees no channel: ${"channel" in o ? "LEAK" : "none"}`'
get "$OFFICER" "/api/v1/declarations/$ID" | json '`   the officer sees channel ${o.channel}; rules fired: ${o.risk.fired.map(f => f.ruleId + " (" + f.reasonEn + ")").join(", ") || "none"}`'

echo "4. The gate refuses the box before release"
post "$TERMINAL" /api/v1/gate-checks "{\"containerNumber\":\"$BOX\",\"move\":\"gate-out\"}" | json '`   allowed ${o.allowed} (${o.reason})`'

echo "5. The officer works the channel"
act() { post "$OFFICER" "/api/v1/declarations/$ID/actions/$1" "${2:-{\}}" | json "\`   $1 → \${o.status ?? o.error.code}\`"; }
STATUS=$(get "$OFFICER" "/api/v1/declarations/$ID" | json 'o.status')
CHANNEL=$(get "$OFFICER" "/api/v1/declarations/$ID" | json 'o.channel')
if [ "$STATUS" = "L" ]; then act review; fi
case "$CHANNEL" in
  machine-scan|manual-inspection|machine-then-manual)
    act order-inspection
    post "$TERMINAL" /api/v1/gate-checks "{\"containerNumber\":\"$BOX\",\"move\":\"gate-out\"}" | json '`   gate: allowed ${o.allowed}, instruction ${o.instruction?.code} in force`'
    act record-inspection '{"outcome":"clear"}' ;;
esac
if [ "$(get "$OFFICER" "/api/v1/declarations/$ID" | json 'o.status')" != "P" ]; then act release; fi

echo "6. The terminal sees its instruction, acknowledges it, and the gate lets the box out"
INS=$(get "$TERMINAL" "/api/v1/customs-instructions?subject=$BOX&inForce=true" | json 'o.items[0].id')
get "$TERMINAL" "/api/v1/customs-instructions/$INS" | json '`   instruction ${o.code} (${o.meaning.en}) sent ${o.sendTime}`'
post "$TERMINAL" "/api/v1/customs-instructions/$INS/acknowledgement" '{"status":"applied"}' | json '`   acknowledged: ${o.acknowledgement?.status ?? o.ackStatus ?? JSON.stringify(o).slice(0, 80)}`'
post "$TERMINAL" /api/v1/gate-checks "{\"containerNumber\":\"$BOX\",\"move\":\"gate-out\"}" | json '`   allowed ${o.allowed} (${o.reason})`'

echo "7. The trader's status history and CUSRES"
get "$TRADER" "/api/v1/declarations/$ID/history" | json 'o.map(e => `   ${e.occurredAt} ${e.type}`).join("\n")'
get "$TRADER" "/api/v1/declarations/$ID/cusres" | tr "'" '\n' | grep -E '^(BGM|GIS)' | sed 's/^/   /'
