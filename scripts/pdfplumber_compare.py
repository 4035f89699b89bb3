#!/usr/bin/env python3
"""Compare jixiao's PDF table cells with pdfplumber's, cell by cell.

Usage: scripts/pdfplumber_compare.py [PDF_DIR] [--jixiao BIN] [--list N]

PDF_DIR defaults to ../shared/real beside the checkout (JIXIAO_REAL_FILES if set); BIN to
target/release/jixiao. pdfplumber is installed from PyPI into a virtual environment under
$XDG_CACHE_HOME (else ~/.cache)/jixiao-pdfplumber the first time; nothing else is needed.

Each pdfplumber cell (`find_tables()`, the default line strategy) is looked up among jixiao's
cells by page and box (the same cell: each box holds the other's centre; the two readers snap
a double rule to different sides). Counted over the tables both find (a
pdfplumber table at least one of whose cells jixiao has): cells jixiao has with the same box,
and among those, cells whose texts agree with whitespace removed. Cells that differ are listed
for a person to decide from the PDF which reader is right; cells outside every table jixiao
found on the page (pdfplumber also frames the title and unit lines above a table, from the
white-filled cell rectangles of spreadsheet exports) are counted apart. Empty pdfplumber cells under 6 pt
wide or high (the gap inside a double rule) are left out.
"""
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_pdfplumber():
    try:
        import pdfplumber  # noqa: F401
        return
    except ImportError:
        pass
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "jixiao-pdfplumber"
    python = cache / "bin" / "python"
    if not python.exists():
        venv.create(cache, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pdfplumber==0.11.10"], check=True)
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def squeezed(text):
    return "".join((text or "").split())


def jixiao_cells(binary, pdf):
    out = subprocess.run([binary, "dump", "--format", "json", str(pdf)], capture_output=True, text=True,
                         env={**os.environ, "LC_ALL": "C"})
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    doc = json.loads(out.stdout)
    cells, extents = [], []
    for block in doc["blocks"]:
        if block["type"] != "table":
            continue
        for c in block["cells"]:
            o = c["origin"]
            cells.append((o["page"], o["bbox"], c["text"], c["row_span"] > 1 or c["col_span"] > 1))
        for o in block["row_origins"]:
            extents.append((o["page"], o["bbox"]))
    return cells, extents


def center(box):
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def inside(point, box):
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def find(cells, page, box):
    """The cell of ours that is the same cell: each box holds the other's centre."""
    for c in cells:
        if c[0] == page and inside(center(box), c[1]) and inside(center(c[1]), box):
            return c
    return None


def compare(binary, pdf, listing):
    import pdfplumber

    ours, extents = jixiao_cells(binary, pdf)
    tables = compared = same_box = same_text = outside = texted = texted_same = left_out = 0
    differences = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            for table in page.find_tables():
                pairs = []
                for row, texts in zip(table.rows, table.extract()):
                    for box, text in zip(row.cells, texts):
                        if box is not None:
                            pairs.append((box, text))
                # The gap between the two lines of a double rule is no cell (Acrobat draws
                # cell borders so; pdfplumber makes a 4-5 pt empty cell of it).
                slivers = [p for p in pairs if not squeezed(p[1]) and min(p[0][2] - p[0][0], p[0][3] - p[0][1]) < 6]
                pairs = [p for p in pairs if p not in slivers]
                left_out += len(slivers)
                found = [(box, text, find(ours, n, box)) for box, text in pairs]
                if not any(f for _, _, f in found):
                    left_out -= len(slivers)
                    continue
                tables += 1
                for box, text, mine in found:
                    compared += 1
                    inner = any(p == n and inside(center(box), b) for p, b in extents)
                    if inner and squeezed(text):
                        texted += 1
                        texted_same += mine is not None and squeezed(mine[2]) == squeezed(text)
                    if mine is None:
                        outside += not inner
                        differences.append((n, box, None, text))
                        continue
                    same_box += 1
                    if squeezed(mine[2]) == squeezed(text):
                        same_text += 1
                    else:
                        differences.append((n, box, mine[2], text))
    return tables, compared, same_box, same_text, outside, texted, texted_same, left_out, differences


def main():
    args = sys.argv[1:]
    binary = str(ROOT / "target" / "release" / "jixiao")
    listing = 20
    if "--jixiao" in args:
        i = args.index("--jixiao")
        binary = args[i + 1]
        del args[i:i + 2]
    if "--list" in args:
        i = args.index("--list")
        listing = int(args[i + 1])
        del args[i:i + 2]
    default = os.environ.get("JIXIAO_REAL_FILES") or str(ROOT.parent / "shared" / "real")
    folder = Path(args[0] if args else default)
    ensure_pdfplumber()
    totals = [0] * 8
    print("| file | tables both find | pdfplumber cells | same cell | same text | outside jixiao's tables |")
    print("|---|---|---|---|---|---|")
    all_differences = []
    for pdf in sorted(folder.glob("*.pdf")):
        *counts, differences = compare(binary, pdf, listing)
        tables, compared, same_box, same_text, outside, *_ = counts
        for k, v in enumerate(counts):
            totals[k] += v
        print(f"| {pdf.name} | {tables} | {compared} | {same_box} | {same_text} | {outside} |")
        all_differences += [(pdf.name, *d) for d in differences]
    t, c, b, s, o, x, xs, slivers = totals
    inner = c - o
    print(f"| **all** | {t} | {c} | {b} ({100 * b / max(c, 1):.2f} %) | {s} ({100 * s / max(c, 1):.2f} %) | {o} |")
    print()
    print(f"Inside jixiao's tables: {inner} pdfplumber cells, {b} the same cell ({100 * b / max(inner, 1):.2f} %), "
          f"{s} with the same text ({100 * s / max(inner, 1):.2f} %; {100 * s / max(b, 1):.2f} % of the same cells).")
    print(f"Of those holding text: {x}, {xs} the same cell with the same text ({100 * xs / max(x, 1):.2f} %).")
    print(f"Left out: {slivers} empty pdfplumber cells under 6 pt across in those tables.")
    print()
    print(f"{len(all_differences)} cells differ; the first {listing}:")
    for name, page, box, mine, theirs in all_differences[:listing]:
        box = ", ".join(f"{v:.1f}" for v in box)
        print(f"- {name} page {page} [{box}]: jixiao {mine!r} / pdfplumber {theirs!r}")


if __name__ == "__main__":
    main()
