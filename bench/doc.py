#!/usr/bin/env python3
"""Benchmark of jixiao's legacy Word (.doc) path: the three LibreOffice .doc renditions
(corpus/renditions/) against their .docx twins (corpus/fixtures/), side by side with antiword,
catdoc and LibreOffice's own .doc -> text conversion. Numbers go in docs/benchmarks.md.

Usage: python3 bench/doc.py JIXIAO REPO [--rounds 30] [--soffice-rounds 3] [--work /tmp/benchdoc]

Every command runs in every round, one after another (the order rotated from round to round),
so the tools share the machine's slow and fast moments; the table gives medians of wall time
of separate processes, and of their CPU time (wait4). "net" subtracts the command's start-up
floor, the same command on a one-line .txt, measured in the same rounds (`check` starts slower
than `dump`). soffice runs in the first --soffice-rounds rounds only, after one untimed
conversion that creates its profile.
"""
import argparse
import os
import statistics
import subprocess
import time

DOCS = ("fund-2023-hunan", "dept-2021-xiangxi", "project-2020-hechi")


def measure(cmd):
    """(wall seconds, user + system CPU seconds) of one run of cmd (output discarded, exit code
    ignored: check exits 1 on findings)."""
    started = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jixiao")
    ap.add_argument("repo")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--soffice-rounds", type=int, default=3)
    ap.add_argument("--work", default="/tmp/benchdoc")
    args = ap.parse_args()
    jx = os.path.abspath(args.jixiao)
    tiny = os.path.join(args.work, "tiny.txt")
    outdir = os.path.join(args.work, "out")
    os.makedirs(outdir, exist_ok=True)
    with open(tiny, "w", encoding="utf-8") as fh:
        fh.write("项目支出 100 万元\n")
    soffice = ["soffice", "-env:UserInstallation=file://" + os.path.join(args.work, "profile"),
               "--headless", "--convert-to", "txt:Text", "--outdir", outdir]

    # (document or None for the floor, tool) -> (command, rounds it runs in).
    cmds = {(None, "dump"): ([jx, "dump", "--format", "json", tiny], args.rounds),
            (None, "check"): ([jx, "check", tiny], args.rounds)}
    for d in DOCS:
        doc = os.path.join(args.repo, "corpus", "renditions", d + ".doc")
        docx = os.path.join(args.repo, "corpus", "fixtures", d + ".docx")
        for ext, f in ((".doc", doc), (".docx", docx)):
            # The file must read: a dump that fails fast would look like a fast reader.
            subprocess.run([jx, "dump", "--format", "json", f], stdout=subprocess.DEVNULL,
                           check=True)
            cmds[(d, "dump " + ext)] = ([jx, "dump", "--format", "json", f], args.rounds)
            cmds[(d, "check " + ext)] = ([jx, "check", f], args.rounds)
        cmds[(d, "antiword")] = (["antiword", "-m", "UTF-8.txt", doc], args.rounds)
        cmds[(d, "catdoc")] = (["catdoc", "-d", "utf-8", doc], args.rounds)
        cmds[(d, "soffice")] = (soffice + [doc], args.soffice_rounds)
    # The first conversion creates the profile (seconds more than any later one): untimed.
    measure(soffice + [os.path.join(args.repo, "corpus", "renditions", DOCS[-1] + ".doc")])

    times = {k: [] for k in cmds}
    cpu = {k: [] for k in cmds}
    keys = list(cmds)
    for r in range(args.rounds):
        shift = r % len(keys)
        for k in keys[shift:] + keys[:shift]:
            cmd, rounds = cmds[k]
            if r < rounds:
                wall, used = measure(cmd)
                times[k].append(wall)
                cpu[k].append(used)
    ms = {k: 1000 * statistics.median(v) for k, v in times.items()}
    cpu_ms = {k: 1000 * statistics.median(v) for k, v in cpu.items()}

    print("%d rounds (soffice: %d), medians of wall time in ms; start-up floor (the command on a "
          "one-line .txt): dump %.2f ms (CPU %.2f), check %.2f ms (CPU %.2f); net = minus the floor; per round = "
          "quartiles of the .doc / .docx ratio taken within each round; CPU = user + system time "
          "(wait4), medians." % (
              args.rounds, args.soffice_rounds, ms[(None, "dump")], cpu_ms[(None, "dump")],
              ms[(None, "check")], cpu_ms[(None, "check")]))
    print()
    print("| document (.doc / .docx KB) | command | .doc ms | .docx ms | .doc / .docx "
          "| per round | net .doc / .docx ms | net ratio | CPU .doc / .docx ms | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for d in DOCS:
        kb = "%s (%.0f / %.0f)" % (d, *(os.path.getsize(os.path.join(args.repo, "corpus", p))
                                        / 1024 for p in ("renditions/%s.doc" % d,
                                                         "fixtures/%s.docx" % d)))
        for c in ("dump", "check"):
            a, b, floor = ms[(d, c + " .doc")], ms[(d, c + " .docx")], ms[(None, c)]
            q = statistics.quantiles([x / y for x, y in zip(times[(d, c + " .doc")],
                                                            times[(d, c + " .docx")])])
            ca, cb = cpu_ms[(d, c + " .doc")], cpu_ms[(d, c + " .docx")]
            print("| %s | %s | %.2f | %.2f | **%.2f×** | %.2f–%.2f× | %.2f / %.2f | %.2f× "
                  "| %.2f / %.2f | %.2f× |" % (
                      kb, c, a, b, a / b, q[0], q[2], a - floor, b - floor,
                      (a - floor) / (b - floor), ca, cb, ca / cb))
    print()
    print("| document | jixiao dump .doc ms | antiword ms | catdoc ms | soffice → txt ms |")
    print("|---|---|---|---|---|")
    for d in DOCS:
        base = ms[(d, "dump .doc")]
        print("| %s | %.2f | %s |" % (d, base, " | ".join(
            "%.2f (%.1f×)" % (ms[(d, t)], ms[(d, t)] / base)
            for t in ("antiword", "catdoc", "soffice"))))


if __name__ == "__main__":
    main()
