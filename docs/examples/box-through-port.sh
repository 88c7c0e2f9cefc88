#!/usr/bin/env bash
# One box from manifest to gate-out over the API, as the demo agent, terminal planner and officer:
# call + berth plan → import manifest (with a late-filing check) → a bad event rejected alone →
# discharge via EDIFACT COARRI → customs release, terminal release, gate-out → flags and timeline →
# the box's IFTSTA. Needs a running demo server (npm start) and node; BASE defaults to http://localhost:8080.
set -euo pipefail
BASE=${BASE:-http://localhost:8080}
json() { node -pe "const o=JSON.parse(require('fs').readFileSync(0,'utf8')); $1"; }
token() { curl -sf -XPOST "$BASE/api/v1/auth/login" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"portcluster-demo\"}" | json 'o.token'; }
post() { curl -s -XPOST "$BASE$2" -H "authorization: Bearer $1" -H 'content-type: application/json' -d "$3"; }
at() { node -pe "new Date(Date.now() + ($1) * 3600e3).toISOString()"; }
# A fresh ISO 6346 number (owner code + U + 6 digits + check digit).
box() { node -e '
  const v = (c) => /\d/.test(c) ? +c : [10,12,13,14,15,16,17,18,19,20,21,23,24,25,26,27,28,29,30,31,32,34,35,36,37,38]["ABCDEFGHIJKLMNOPQRSTUVWXYZ".indexOf(c)];
  const s = process.argv[1] + "U" + String(Math.floor(Math.random() * 1e6)).padStart(6, "0");
  const sum = [...s].reduce((a, c, i) => a + v(c) * 2 ** i, 0);
  console.log(s + (sum % 11 % 10));' "$1"; }

AGENT=$(token agent); OFFICER=$(token officer); TERMINAL=$(token terminal)
VOYAGE="BOX$(date +%s)"; BOX=$(box MSC)

echo "1. The agent files a call; the terminal plans it at QQCT-01"
CALL=$(post "$AGENT" /api/v1/port-calls "{\"portLocode\":\"CNTAO\",\"declaredCode\":{\"portCode\":\"CNQGD\",\"customsCode\":\"4218\"},
  \"vessel\":{\"imo\":\"1001037\",\"draftM\":14.5},\"voyage\":\"$VOYAGE\",\"lastPort\":\"KRPUS\",\"lastPortDeparture\":\"$(at -10)\",
  \"eta\":\"$(at 30)\",\"etd\":\"$(at 50)\",\"purpose\":\"cargo\",\"cargoType\":\"container\",\"crewCount\":22,\"dangerousGoods\":false}" | json 'o.id')
BERTH=$(curl -s "$BASE/api/v1/berths?q=QQCT-01" -H "authorization: Bearer $TERMINAL" | json 'o.items[0].id')
post "$TERMINAL" "/api/v1/port-calls/$CALL/berth-plan" "{\"berthId\":\"$BERTH\",\"start\":\"$(at 31)\",\"end\":\"$(at 49)\"}" >/dev/null
echo "   port call $CALL, box $BOX"

echo "2. The agent files the import original manifest (MT1101): one bill, one goods item, one box"
MANIFEST=$(post "$AGENT" /api/v1/manifests "{\"kind\":\"import-original\",\"portCallId\":\"$CALL\",\"documentNumber\":\"MF-$VOYAGE\",
  \"bills\":[{\"number\":\"BL-$VOYAGE\",\"consignee\":\"Qingdao Rubber Trading Co\",\"goods\":[{\"description\":\"Lorry tyres\",\"hsCode\":\"4011.20\",
  \"packages\":400,\"packageType\":\"PK\",\"grossKg\":18000,\"netKg\":17500,\"equipment\":[\"$BOX\"]}]}],
  \"equipment\":[{\"number\":\"$BOX\",\"sizeType\":\"45G1\",\"fullness\":\"full\",\"seals\":[\"SL0001\"]}]}")
echo "$MANIFEST" | json '`   manifest ${o.id}: deadline ${o.deadlineAt}, late ${o.late}`'

echo "3. A batch with one bad event (weight and box fine, check digit wrong) — only that event is rejected"
BAD="${BOX:0:10}$(( (${BOX:10:1} + 1) % 10 ))"
post "$TERMINAL" /api/v1/container-events "{\"events\":[
  {\"eventId\":\"YM-$VOYAGE-1\",\"kind\":\"yard-move\",\"containerNumber\":\"$BAD\",\"occurredAt\":\"$(at 0)\"},
  {\"eventId\":\"YM-$VOYAGE-2\",\"kind\":\"yard-move\",\"containerNumber\":\"$BOX\",\"occurredAt\":\"$(at 0)\",\"location\":\"SHIP\"}]}" |
  json '`   accepted ${o.accepted}, rejected ${o.rejected}: ${o.results.filter(r => r.status === "rejected").map(r => r.path + " " + r.reason).join("; ")}`'

echo "4. The terminal sends the discharge as EDIFACT COARRI"
NOW=$(date -u +%Y%m%d%H%M)
COARRI="UNA:+.? 'UNB+UNOC:3+QQCT:ZZZ+PORTCLUSTER:ZZZ+$(date -u +%y%m%d:%H%M)+C$VOYAGE'UNH+1+COARRI:D:95B:UN:SMDG15'BGM+98+DIS$VOYAGE+9'TDT+20+$VOYAGE+1'EQD+CN+$BOX+45G1+++5'DTM+203:$NOW:203'LOC+147+0120482::5'CNT+16:1'UNT+8+1'UNZ+1+C$VOYAGE'"
curl -s -XPOST "$BASE/api/v1/edifact/interchanges?fileName=coarri.edi" -H "authorization: Bearer $TERMINAL" -H 'content-type: application/edifact' --data-binary "$COARRI" |
  json 'o.messages.map(m => `   ${m.type} ${m.segmentCount} segments, ${m.equipmentCount} box → ${m.outcome.status}${m.outcome.reason ? ": " + m.outcome.reason : ""}`).join("\n")'

echo "5. Customs releases it, the terminal releases it, it leaves through the gate"
post "$OFFICER" /api/v1/container-events "{\"events\":[{\"eventId\":\"REL-$VOYAGE\",\"kind\":\"customs-release\",\"containerNumber\":\"$BOX\",\"occurredAt\":\"$(at 0.01)\"}]}" >/dev/null
post "$TERMINAL" /api/v1/container-events "{\"events\":[
  {\"eventId\":\"TR-$VOYAGE\",\"kind\":\"terminal-release\",\"containerNumber\":\"$BOX\",\"occurredAt\":\"$(at 0.02)\"},
  {\"eventId\":\"GO-$VOYAGE\",\"kind\":\"gate-out\",\"containerNumber\":\"$BOX\",\"occurredAt\":\"$(at 0.03)\",\"vehicle\":\"鲁B12345\"}]}" >/dev/null

echo "6. The box: flags computed from events, and its timeline"
ID=$(curl -s "$BASE/api/v1/containers?number=$BOX&portCallId=$CALL" -H "authorization: Bearer $AGENT" | json 'o.items[0].id')
curl -s "$BASE/api/v1/containers/$ID" -H "authorization: Bearer $AGENT" |
  json '"   flags " + JSON.stringify(o.flags) + "\n" + o.timeline.map(t => "   " + t.occurredAt + " " + t.type).join("\n")'

echo "7. Its status as IFTSTA for a subscriber's system"
curl -s "$BASE/api/v1/containers/$ID/iftsta" -H "authorization: Bearer $AGENT" | tr "'" '\n' | sed 's/^/   /'
