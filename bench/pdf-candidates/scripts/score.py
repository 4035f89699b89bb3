#!/usr/bin/env python3
"""score.py RESULTS.jsonl OUTDIR REFDIR -> per-file CJK / digit multiset overlap vs pdftotext -layout."""
import re, json, sys, os, collections
def is_cjk(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
def overlap(ref, cand, pred):
    r = collections.Counter(c for c in ref if pred(c))
    k = collections.Counter(c for c in cand if pred(c))
    tr, tk = sum(r.values()), sum(k.values())
    common = sum(min(v, k[c]) for c, v in r.items())
    return (common / tr if tr else float("nan")), (common / tk if tk else float("nan")), tr, tk
def main(res, outdir, refdir):
    rows = []
    for line in open(res):
        if not line.startswith("{"): continue
        j = json.loads(re.sub(r',"sample":".*\}\s*$', "}", line), strict=False)
        f = j["file"]
        reff = os.path.join(refdir, f + ".txt")
        cand = os.path.join(outdir, f + ".txt")
        if j["status"] == "ok" and os.path.exists(reff):
            ref = open(reff, encoding="utf-8", errors="replace").read()
            txt = open(cand, encoding="utf-8", errors="replace").read() if os.path.exists(cand) else ""
            j["cjk_recall"], j["cjk_precision"], j["cjk_ref"], j["cjk_cand"] = overlap(ref, txt, is_cjk)
            j["dig_recall"], j["dig_precision"], _, _ = overlap(ref, txt, str.isdigit)
            j["fffd"] = txt.count("\ufffd")
        rows.append(j)
    return rows
if __name__ == "__main__":
    for r in main(*sys.argv[1:4]):
        print(json.dumps(r, ensure_ascii=False))
