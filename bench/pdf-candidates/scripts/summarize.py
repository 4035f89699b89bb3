#!/usr/bin/env python3
import re, json, collections, statistics, os, sys
sys.path.insert(0, "/tmp/pdfprobe/scripts")
import score
O = "/tmp/pdfprobe/out"; R = "/tmp/pdfprobe/data/ref"
BINS = "lopdf_builtin lopdf_own p_pdfextract p_pdfrs p_oxide".split()
DMG_SRC = ["省法院2018年度部门预算公开.pdf", "江苏省委办公厅2017年预算公开表格.pdf", "上海市普陀区商务委员会25年预算.pdf"]
def load(b, s):
    return [json.loads(re.sub(r',"sample":".*\}\s*$', "}", l), strict=False) for l in open(f"{O}/{b}.{s}.jsonl") if l.startswith("{")]
print("| candidate | real: ok/err/panic/hang/crash | files CJK recall ≥0.99 | CJK recall mean (min) | CJK precision mean | digit recall mean | ms/page (all pages) | ms/page median file | enc ok (12) CJK≥0.99 |")
print("|---|---|---|---|---|---|---|---|---|")
for b in BINS:
    rows = score.main(f"{O}/{b}.real.jsonl", f"{O}/{b}/real", R)
    st = collections.Counter(r["status"] for r in rows)
    ok = [r for r in rows if r["status"] == "ok"]
    rec = [r["cjk_recall"] for r in ok]
    # files that failed count as recall 0
    rec_all = rec + [0.0] * (len(rows) - len(ok))
    prec = [r["cjk_precision"] for r in ok if r["cjk_precision"] == r["cjk_precision"]]
    dig = [r["dig_recall"] for r in ok]
    pages = sum(r["pages"] for r in ok); ms = sum(r["ms"] for r in ok)
    med = statistics.median(r["ms"] / max(r["pages"], 1) for r in ok)
    enc = score.main(f"{O}/{b}.enc.jsonl", f"{O}/{b}/enc", R)
    enc_ok = sum(1 for r in enc if r["status"] == "ok" and r["cjk_recall"] >= 0.99)
    good = sum(1 for x in rec_all if x >= 0.99)
    print(f"| {b} | {st['ok']}/{st['error']}/{st['panic']}/{st['hang']}/{st['crash']} | {good}/{len(rows)} | {statistics.mean(rec_all):.3f} ({min(rec_all):.3f}) | {statistics.mean(prec) if prec else float('nan'):.3f} | {statistics.mean(dig):.3f} | {ms/pages:.2f} | {med:.2f} | {enc_ok} |")
print()
print("| candidate | damaged (90): ok | error | panic | hang (>20 s) | crash (abort/OOM) | ok-trunc / ok-flip | mean CJK recovered on ok (vs original) | mean CJK recovered, all 90 (fail=0) |")
print("|---|---|---|---|---|---|---|---|---|")
for b in BINS:
    rows = load(b, "damaged")
    st = collections.Counter(r["status"] for r in rows)
    rec = []
    for r in rows:
        if r["status"] != "ok": continue
        src = DMG_SRC[int(r["file"][1])]
        ref = open(f"{R}/{src}.txt").read()
        p = f"{O}/{b}/damaged/{r['file']}.txt"
        txt = open(p).read() if os.path.exists(p) else ""
        rec.append(score.overlap(ref, txt, score.is_cjk)[0])
    okt = sum(1 for r in rows if r["status"] == "ok" and "trunc" in r["file"])
    okf = sum(1 for r in rows if r["status"] == "ok" and "flip" in r["file"])
    print(f"| {b} | {st['ok']} | {st['error']} | {st['panic']} | {st['hang']} | {st['crash']} | {okt}/{okf} | {statistics.mean(rec) if rec else 0:.3f} | {sum(rec)/len(rows):.3f} |")
print()
for b in BINS:
    rows = load(b, "damaged")
    msgs = collections.Counter((r["status"], (r.get("err") or "")[:110]) for r in rows if r["status"] in ("panic", "crash", "hang"))
    if msgs:
        print(f"{b}:")
        for (s, m), c in msgs.most_common(8):
            print(f"   {c:3d} {s}: {m}")
