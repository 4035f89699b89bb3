#!/usr/bin/env python3
"""PDF reading speed and memory, side by side in one run: jixiao against pdfplumber and PyMuPDF.

Usage: python3 bench/pdf.py [PDF_DIR] [--jixiao BIN] [--rounds N]

PDF_DIR defaults to ../shared/real beside the checkout (JIXIAO_REAL_FILES if set); BIN to
target/dist/jixiao, else target/release/jixiao. pdfplumber and PyMuPDF are installed from PyPI
into a virtual environment under $XDG_CACHE_HOME (else ~/.cache)/jixiao-pdf-bench the first
time. In each round, file by file, the three readers run one after another (so a busy moment
of this shared machine hits all three):

- jixiao: `jixiao dump --format json FILE` (a process per file: parsing, text, tables, JSON),
  and `jixiao extract -j 1 --format jsonl DIR` once per round (the whole pipeline, one process);
- pdfplumber: `extract_tables()` and `extract_text()` of every page;
- PyMuPDF: `get_text()` of every page (plain text, no tables).

Reported: milliseconds per page (best round, and median), the ratios, and peak memory (maximum
resident set) of jixiao for each file and for one batch of the folder copied ten times.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_libraries():
    try:
        import pdfplumber  # noqa: F401
        import pymupdf  # noqa: F401
        return
    except ImportError:
        pass
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "jixiao-pdf-bench"
    python = cache / "bin" / "python"
    if not python.exists():
        venv.create(cache, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pdfplumber==0.11.10", "pymupdf==2.0"],
                       check=True)
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def peak_rss_kib(command):
    """Runs `command` in a child process of a fresh interpreter; its maximum resident set."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main():
    args = sys.argv[1:]
    rounds = 3
    binary = ROOT / "target" / "dist" / "jixiao"
    if not binary.exists():
        binary = ROOT / "target" / "release" / "jixiao"
    if "--jixiao" in args:
        i = args.index("--jixiao")
        binary = Path(args[i + 1])
        del args[i:i + 2]
    if "--rounds" in args:
        i = args.index("--rounds")
        rounds = int(args[i + 1])
        del args[i:i + 2]
    default = os.environ.get("JIXIAO_REAL_FILES") or str(ROOT.parent / "shared" / "real")
    folder = Path(args[0] if args else default)
    ensure_libraries()
    import pdfplumber
    import pymupdf

    files = sorted(folder.glob("*.pdf"))
    pages = sum(len(pymupdf.open(f)) for f in files)
    env = {**os.environ, "LC_ALL": "C"}
    times = {"jixiao dump": [], "jixiao extract": [], "pdfplumber": [], "PyMuPDF": []}
    for _ in range(rounds):
        spent = dict.fromkeys(times, 0.0)
        for f in files:
            t = time.perf_counter()
            subprocess.run([str(binary), "dump", "--format", "json", str(f)], stdout=subprocess.DEVNULL,
                           env=env, check=True)
            spent["jixiao dump"] += time.perf_counter() - t
            t = time.perf_counter()
            with pdfplumber.open(f) as doc:
                for page in doc.pages:
                    page.extract_tables()
                    page.extract_text()
            spent["pdfplumber"] += time.perf_counter() - t
            t = time.perf_counter()
            with pymupdf.open(f) as doc:
                for page in doc:
                    page.get_text()
            spent["PyMuPDF"] += time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([str(binary), "extract", "-q", "-j", "1", "--format", "jsonl", str(folder)],
                       stdout=subprocess.DEVNULL, env=env, check=True)
        spent["jixiao extract"] += time.perf_counter() - t
        for k, v in spent.items():
            times[k].append(v)
    print(f"{len(files)} files, {pages} pages, {rounds} rounds, {binary}")
    print()
    print("| reader | ms a page (best) | ms a page (median) |")
    print("|---|---|---|")
    best = {}
    for k, v in times.items():
        best[k] = min(v) / pages * 1000
        print(f"| {k} | {best[k]:.2f} | {statistics.median(v) / pages * 1000:.2f} |")
    print()
    print(f"pdfplumber / jixiao dump: {best['pdfplumber'] / best['jixiao dump']:.1f}×; "
          f"pdfplumber / jixiao extract: {best['pdfplumber'] / best['jixiao extract']:.1f}×; "
          f"jixiao dump / PyMuPDF: {best['jixiao dump'] / best['PyMuPDF']:.2f}×; "
          f"jixiao extract / PyMuPDF: {best['jixiao extract'] / best['PyMuPDF']:.2f}×")
    print()
    per_file = [(peak_rss_kib([str(binary), "dump", "--format", "json", str(f)]), f.name) for f in files]
    smallest, largest = min(per_file), max(per_file)
    print(f"peak memory of `dump`, per file: {smallest[0] / 1024:.1f} MiB ({smallest[1]}) to "
          f"{largest[0] / 1024:.1f} MiB ({largest[1]})")
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(10):
            for f in files:
                shutil.copy(f, Path(tmp) / f"{k}-{f.name}")
        once = peak_rss_kib([str(binary), "extract", "-q", "--format", "jsonl", str(folder)])
        tenfold = peak_rss_kib([str(binary), "extract", "-q", "--format", "jsonl", tmp])
    print(f"peak memory of `extract` over the folder: {once / 1024:.1f} MiB; over ten copies of it "
          f"({10 * len(files)} files): {tenfold / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
