# stream.jq - workload 2 (streaming NDJSON) in jq.
#   jq -c --argjson cap 50000000 -f stream.jq < companies.ndjson > decisions.ndjson
# The benchmark's decisions written by hand in jq: eligible, priority, award
# and the pending field-support steps, with missing facts as null flowing
# through with the rules' three-valued logic (false and unknown = false).
# One result line per input line, the shape the other streaming peers write.

def pct: if . == null then null else .[:-1] | tonumber end;
def krw: if . == null then null else .[:-4] | tonumber end;

(.company // {}) as $c
| ($c.size) as $size
| (if $size == null then null else ($size == "sme" or $size == "midsize") end) as $e
| ($c.us_export_share | pct) as $share
| (if $e == false then false
   elif $share == null then null
   elif $e == null then (if $share >= 10 then null else false end)
   else $share >= 10 end) as $p
| ($c.voucher_requested | krw) as $req
| ((($c.voucher_received | krw) // 0) as $got
   | ([50000000 - $got, 0] | max) as $left
   | if $e == null then null
     elif $e == false then 0
     elif $req == null then null
     else [$req, $left] | min end) as $a
| [$c.consulting_done, $c.finance_arranged, $c.logistics_arranged] as $done
| (if any($done[]; . == null) then null
   else [range(3) as $i | select($done[$i] | not) | [6, 11, 12][$i]] end) as $pend
| {line: (input_line_number), id: .id,
   decisions: {"voucher.eligible": $e, "voucher.priority": $p,
               "voucher.award": (if $a == null then null else "\($a) KRW" end),
               "support.pending": $pend}}
