#!/usr/bin/env python3
"""Benchmark of `jixiao extract` over archives built from the corpus, side by side with what a
user would otherwise run (python-docx + regex, pandoc -t json) and with the floor (unzip and
tokenize word/document.xml). Numbers go in docs/benchmarks.md.

Usage: python3 bench/run.py [--sizes 2000,20000] [--sample 60] [--baseline-passes 1]
                            [--work /tmp/jixiao-bench]
(`--sizes ""` skips the archives.)

Needs: cargo (builds the binary and the floor example in the `dist` profile), python3 with venv (installs
python-docx from PyPI into WORK/venv), pandoc (Debian package; skipped if absent).
Every measurement is wall time of a separate process; peak RSS comes from wait4's rusage.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JIXIAO = os.path.join(ROOT, "target", "dist", "jixiao")
FLOOR = os.path.join(ROOT, "target", "dist", "examples", "floor")
STAGES = os.path.join(ROOT, "target", "dist", "examples", "stages")
FIXTURES = os.path.join(ROOT, "corpus", "fixtures")
# Runs of the floor and of jixiao on the sample, in turn.
REPEAT = 5
SEEDS = os.path.join(ROOT, "corpus", "seeds")


def measure(cmd, stdout=subprocess.DEVNULL, cwd=None):
    """Runs cmd; returns (seconds, peak RSS in MiB, exit code)."""
    started = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - started
    p.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, p.returncode


def sources():
    files = sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES))
    files += sorted(os.path.join(SEEDS, f) for f in os.listdir(SEEDS))
    return files


def build_archive(path, n):
    """n documents, mixed formats, copies of the corpus under distinct names, 1000 a folder."""
    if os.path.isdir(path) and len([1 for _, _, fs in os.walk(path) for _ in fs]) == n:
        return
    shutil.rmtree(path, ignore_errors=True)
    src = sources()
    for i in range(n):
        s = src[i % len(src)]
        d = os.path.join(path, "%03d" % (i // 1000))
        os.makedirs(d, exist_ok=True)
        shutil.copyfile(s, os.path.join(d, "%06d-%s" % (i, os.path.basename(s))))


def size_of(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def docx_sample(path, n):
    """n .docx copies (the three fixture reports in turn)."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    docx = [s for s in sources() if s.endswith(".docx")]
    for i in range(n):
        s = docx[i % len(docx)]
        shutil.copyfile(s, os.path.join(path, "%04d-%s" % (i, os.path.basename(s))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000,20000")
    ap.add_argument("--sample", type=int, default=60)
    ap.add_argument("--work", default="/tmp/jixiao-bench")
    ap.add_argument("--baseline-passes", type=int, default=1,
                    help="times to run python-docx and pandoc over the sample (median reported)")
    args = ap.parse_args()
    if args.baseline_passes < 1:
        ap.error("--baseline-passes must be at least 1")
    os.makedirs(args.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT, check=True)
    for example in ("floor", "stages"):
        subprocess.run(["cargo", "build", "--profile", "dist", "--quiet", "--example", example],
                       cwd=ROOT, check=True)
    venv = os.path.join(args.work, "venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "python-docx"], check=True)
    have_pandoc = shutil.which("pandoc") is not None
    out = []

    def say(line=""):
        print(line, flush=True)
        out.append(line)

    # 1. Side by side on the same .docx files.
    sample = os.path.join(args.work, "sample")
    docx_sample(sample, args.sample)
    files = sorted(os.path.join(sample, f) for f in os.listdir(sample))
    n = len(files)
    say("## Same %d .docx files, side by side" % n)
    say()
    say("| tool | seconds | ms / document | documents / s | jixiao -j1 faster by | jixiao -j2 faster by |")
    say("|---|---|---|---|---|---|")
    rows = {}
    # The floor and jixiao take a fraction of a second: run them in turn REPEAT times and keep
    # the median of each (the python-docx and pandoc columns compare against it) and the
    # fastest of each (the floor ratio below), so that one disturbed run moves neither.
    runs = {"floor": [], "j1": [], "j2": []}
    for _ in range(REPEAT):
        runs["floor"].append(json.loads(subprocess.run(
            [FLOOR, sample], capture_output=True, check=True).stdout)["seconds"])
        runs["j1"].append(measure(
            [JIXIAO, "extract", "-q", "--format", "jsonl", "-j", "1", sample])[0])
        runs["j2"].append(measure(
            [JIXIAO, "extract", "-q", "--format", "jsonl", "-j", "2", sample])[0])
    rows["floor: unzip + tokenize word/document.xml (in one process)"] = statistics.median(
        runs["floor"])
    rows["jixiao extract --format jsonl -j 1"] = statistics.median(runs["j1"])
    rows["jixiao extract --format jsonl -j 2"] = statistics.median(runs["j2"])
    # The baselines take minutes and their own time moves by ±15 % from pass to pass: each
    # pass is timed between two runs of jixiao -j 2, so every pass gives a ratio of its own.
    script = os.path.join(ROOT, "bench", "python_docx_baseline.py")
    j2 = [JIXIAO, "extract", "-q", "--format", "jsonl", "-j", "2", sample]
    baselines = {
        "python-docx + regex, one process for all files":
            lambda: measure([python, script, sample])[0],
        # A user running the baseline once per file pays the interpreter start-up each time.
        "python-docx + regex, one process per file":
            lambda: sum(measure([python, script, f])[0] for f in files),
    }
    if have_pandoc:
        baselines["pandoc -t json, one process per file"] = lambda: sum(
            measure(["pandoc", "-f", "docx", "-t", "json", f])[0] for f in files)
    passes = {name: [] for name in baselines}
    for _ in range(args.baseline_passes):
        for name, run in baselines.items():
            before = measure(j2)[0]
            seconds = run()
            passes[name].append((seconds, (before + measure(j2)[0]) / 2))
    for name, timed in passes.items():
        rows[name] = statistics.median(seconds for seconds, _ in timed)
    base = rows["jixiao extract --format jsonl -j 1"]
    base2 = rows["jixiao extract --format jsonl -j 2"]
    for name, s in rows.items():
        say("| %s | %.3f | %.2f | %.1f | %s | %s |" % (
            name, s, 1000 * s / n, n / s, "%.1f×" % (s / base) if s > base else "—",
            "%.1f×" % (s / base2) if s > base2 else "—"))
    say()
    stages = json.loads(subprocess.run([STAGES, sample], capture_output=True, check=True).stdout)
    say("Stages in one process (`examples/stages.rs`), ms per document: " + ", ".join(
        "%s %.3f" % (k, v) for k, v in stages["ms_per_file"].items()))
    say()
    say("jixiao -j1 / floor = %.2f× (medians of %d runs; fastest runs: %.2f×, spread of the "
        "per-run ratios %.2f–%.2f×); jixiao -j2 / floor = %.2f×" % (
            base / rows["floor: unzip + tokenize word/document.xml (in one process)"], REPEAT,
            min(runs["j1"]) / min(runs["floor"]),
            min(a / b for a, b in zip(runs["j1"], runs["floor"])),
            max(a / b for a, b in zip(runs["j1"], runs["floor"])),
            base2 / rows["floor: unzip + tokenize word/document.xml (in one process)"]))
    say()
    for name, timed in passes.items():
        say("%s / jixiao -j2 timed around it, pass by pass: %s" % (
            name, ", ".join("%.1f×" % (seconds / around) for seconds, around in timed)))
    say()

    # 2. Start-up on one small file.
    small = os.path.join(FIXTURES, "project-2020-hechi.docx")
    times = sorted(measure([JIXIAO, "extract", small])[0] for _ in range(30))
    version = sorted(measure([JIXIAO, "--version"])[0] for _ in range(30))
    say("## Start-up")
    say()
    say("`jixiao extract %s` (16 KB): median %.1f ms over 30 runs (`jixiao --version`: %.1f ms)"
        % (os.path.relpath(small, ROOT), 1000 * statistics.median(times),
           1000 * statistics.median(version)))
    say()

    # 3. Archives.
    say("## Archives (mixed .docx .html .xlsx .txt copies of the corpus)")
    say()
    say("| documents | MB | output | -j | seconds | documents / s | MB / s | peak RSS MiB |")
    say("|---|---|---|---|---|---|---|---|")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        archive = os.path.join(args.work, "archive-%d" % size)
        build_archive(archive, size)
        mb = size_of(archive) / 1e6
        for fmt in ("jsonl", "sqlite"):
            for jobs in (1, 2):
                db = os.path.join(args.work, "out.db")
                if os.path.exists(db):
                    os.remove(db)
                cmd = [JIXIAO, "extract", "-q", "--format", fmt, "-j", str(jobs), archive]
                if fmt == "sqlite":
                    cmd += ["--out", db]
                seconds, rss, _ = measure(cmd)
                say("| %d | %.1f | %s | %d | %.2f | %.0f | %.2f | %.0f |" % (
                    size, mb, fmt, jobs, seconds, size / seconds, mb / seconds, rss))
    with open(os.path.join(args.work, "results.md"), "w") as fh:
        fh.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
