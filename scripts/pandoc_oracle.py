#!/usr/bin/env python3
"""Independent table oracle for jixiao, built on pandoc's docx reader.

Usage:
    python3 scripts/pandoc_oracle.py [--jixiao PATH] [--out results.json] [--check]
                                     [--export-native FILE] [FILE.docx ...]

--check exits 1 when jixiao and pandoc disagree anywhere except (a) empty cells pandoc pads
grid positions with (gridBefore/gridAfter) and (b) the tables listed in PANDOC_2_17_WRONG,
where the XML shows pandoc 2.17 (Debian 12) is wrong (docs/robustness.md).
--export-native writes the grids of pandoc's expected `.native` readings as JSON, which
tests/oracle.rs compares with jixiao's cell for cell.

With no FILE arguments, the default input set is used (see default_inputs()).

For every .docx:
  * jixiao:  `jixiao dump --format json FILE` -> top-level table blocks in order,
             nested tables from cell["tables"].
  * pandoc:  `pandoc -f docx -t json FILE`   -> Table blocks in document order.
  * native:  `pandoc -f native -t json X.native` where X.native sits next to
             X.docx (fallback X_accept.native, because pandoc's default
             --track-changes is accept).

Each table is turned into a set of anchors {(row, col): (row_span, col_span, text)}.

Grid coordinates for pandoc: rows are, in order, TableHead rows, then for each
TableBody its intermediate head rows followed by its body rows, then TableFoot
rows.  Columns are assigned with the usual occupancy algorithm: a cell is put at
the first column of its row not covered by a row span from an earlier row (or
a column span earlier in the same row); RowHeadColumns does not move anything.

Text normalisation (both sides): collapse every run of Unicode whitespace
(Python str.split(), which includes \\n, \\t and U+00A0) to a single space,
and strip.  Pandoc inlines are flattened as:
  Str -> text; Space/SoftBreak/LineBreak -> " ";
  Emph/Underline/Strong/Strikeout/Superscript/Subscript/SmallCaps/Span/Link/Cite
      -> their inline content; Quoted -> content in curly quotes;
  Code/Math -> their text; Image -> "" (alt text dropped);
  Note -> "" (footnote body dropped); RawInline -> "" (dropped).
Blocks inside a cell: Plain/Para/Header/LineBlock -> inlines; CodeBlock -> text;
  Div/BlockQuote/lists/DefinitionList -> recursive; RawBlock/HorizontalRule -> "";
  Table -> "" (a nested table is NOT part of the cell text; it is compared
  separately, the way jixiao reports it in cell["tables"]).
The texts of the blocks of one cell are joined with " ".

Nested tables: for a cell anchored at the same (row, col) on both sides, the
i-th nested table on one side is compared with the i-th on the other side
(document order inside the cell), recursively.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Other projects' test files are not ours and are not committed: they are read from
# $JIXIAO_PEER_FILES, else from ../shared/peer-files beside the checkout.
PEER = os.environ.get("JIXIAO_PEER_FILES") or os.path.join(ROOT, "..", "shared", "peer-files")
PEER = os.path.abspath(PEER)
JIXIAO = os.path.join(ROOT, "target", "release", "jixiao")

# Tables where pandoc 2.17's reading is wrong, checked against the XML (docs/robustness.md):
# it ignores w:gridBefore and drops a w:gridCol without w:w. gridAfter padding is filler.
PANDOC_2_17_WRONG = {
    ("pandoc/test/docx/table_gridbefore.docx", "T0"),
    ("python-docx/features/steps/test_files/tbl-col-props.docx", "T0"),
    ("python-docx/features/steps/test_files/tbl-props.docx", "T7"),
}

PYDOCX_WITH_TABLES = [
    "python-docx/tests/test_files/blk-inner-content.docx",
    "python-docx/tests/test_files/sct-inner-content.docx",
    "python-docx/features/steps/test_files/blk-containing-table.docx",
    "python-docx/features/steps/test_files/blk-paras-and-tables.docx",
    "python-docx/features/steps/test_files/sct-inner-content.docx",
    "python-docx/features/steps/test_files/tbl-2x2-table.docx",
    "python-docx/features/steps/test_files/tbl-cell-access.docx",
    "python-docx/features/steps/test_files/tbl-cell-props.docx",
    "python-docx/features/steps/test_files/tbl-col-props.docx",
    "python-docx/features/steps/test_files/tbl-having-applied-style.docx",
    "python-docx/features/steps/test_files/tbl-having-tables.docx",
    "python-docx/features/steps/test_files/tbl-on-off-props.docx",
    "python-docx/features/steps/test_files/tbl-props.docx",
]


def default_inputs():
    files = sorted(glob.glob(os.path.join(PEER, "pandoc/test/docx/*.docx")))
    files += sorted(glob.glob(os.path.join(PEER, "pandoc/test/docx/golden/*.docx")))
    files.append(os.path.join(PEER, "docx2python/tests/resources/merged_cells.docx"))
    files += [os.path.join(PEER, p) for p in PYDOCX_WITH_TABLES]
    return files


# ---------------------------------------------------------------- text

def norm(s):
    return " ".join(s.split())


def inl_text(inls):
    out = []
    for x in inls:
        t = x["t"]
        c = x.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Emph", "Underline", "Strong", "Strikeout", "Superscript",
                   "Subscript", "SmallCaps"):
            out.append(inl_text(c))
        elif t == "Quoted":
            q = ("\u201c", "\u201d") if c[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
            out.append(q[0] + inl_text(c[1]) + q[1])
        elif t == "Cite":
            out.append(inl_text(c[1]))
        elif t in ("Code", "Math"):
            out.append(c[1])
        elif t == "Link":
            out.append(inl_text(c[1]))
        elif t == "Span":
            out.append(inl_text(c[1]))
        elif t in ("Image", "Note", "RawInline"):
            pass
        else:
            raise ValueError("unknown inline " + t)
    return "".join(out)


def blk_text(blocks):
    parts = []
    for b in blocks:
        t = b["t"]
        c = b.get("c")
        if t in ("Plain", "Para"):
            parts.append(inl_text(c))
        elif t == "Header":
            parts.append(inl_text(c[2]))
        elif t == "LineBlock":
            parts.append(" ".join(inl_text(l) for l in c))
        elif t == "CodeBlock":
            parts.append(c[1])
        elif t == "BlockQuote":
            parts.append(blk_text(c))
        elif t == "Div":
            parts.append(blk_text(c[1]))
        elif t == "BulletList":
            parts.extend(blk_text(item) for item in c)
        elif t == "OrderedList":
            parts.extend(blk_text(item) for item in c[1])
        elif t == "DefinitionList":
            for term, defs in c:
                parts.append(inl_text(term))
                parts.extend(blk_text(d) for d in defs)
        elif t == "Figure":  # pandoc-types >= 1.23
            parts.append(blk_text(c[2]))
        elif t in ("RawBlock", "HorizontalRule", "Null", "Table"):
            pass
        else:
            raise ValueError("unknown block " + t)
    return " ".join(parts)


# ---------------------------------------------------------------- pandoc tables

def find_tables(blocks):
    """Top-level Table blocks in document order (not descending into tables)."""
    found = []
    for b in blocks:
        t = b["t"]
        c = b.get("c")
        if t == "Table":
            found.append(b)
        elif t in ("BlockQuote",):
            found += find_tables(c)
        elif t == "Div":
            found += find_tables(c[1])
        elif t == "BulletList":
            for item in c:
                found += find_tables(item)
        elif t == "OrderedList":
            for item in c[1]:
                found += find_tables(item)
        elif t == "DefinitionList":
            for _term, defs in c:
                for d in defs:
                    found += find_tables(d)
        elif t == "Figure":
            found += find_tables(c[2])
    return found


def pandoc_grid(tbl):
    """Return dict with rows, cols, anchors {(r,c): (rs, cs, text, nested)}."""
    _attr, _caption, colspecs, head, bodies, foot = tbl["c"]
    rows = list(head[1])
    for body in bodies:
        _battr, _rhc, ihead, brows = body
        rows += ihead
        rows += brows
    rows += foot[1]
    occupied = set()
    anchors = {}
    for r, row in enumerate(rows):
        cells = row[1]
        col = 0
        for cell in cells:
            _cattr, _align, rs, cs, blocks = cell
            # pandoc-types JSON: RowSpan/ColSpan are plain ints in 1.22+
            if isinstance(rs, dict):
                rs = rs["c"]
            if isinstance(cs, dict):
                cs = cs["c"]
            while (r, col) in occupied:
                col += 1
            for rr in range(r, r + rs):
                for cc in range(col, col + cs):
                    occupied.add((rr, cc))
            nested = []
            collect_nested(blocks, nested)
            anchors[(r, col)] = (rs, cs, norm(blk_text(blocks)),
                                 [pandoc_grid(t) for t in nested])
            col += cs
    return {"rows": len(rows), "cols": len(colspecs), "anchors": anchors}


def collect_nested(blocks, out):
    out += find_tables(blocks)


# ---------------------------------------------------------------- jixiao tables

def jixiao_grid(tbl):
    anchors = {}
    for c in tbl["cells"]:
        anchors[(c["row"], c["col"])] = (
            c["row_span"], c["col_span"], norm(c["text"]),
            [jixiao_grid(t) for t in c.get("tables", [])])
    return {"rows": tbl["rows"], "cols": tbl["cols"], "anchors": anchors,
            "index": tbl.get("index")}


# ---------------------------------------------------------------- comparison

def compare(j, p, label, stats, mism):
    """Compare two grids; update stats dict and append mismatches."""
    stats["tables"] += 1
    if (j["rows"], j["cols"]) != (p["rows"], p["cols"]):
        mism.append({"table": label, "cell": None, "kind": "shape",
                     "jixiao": "%dx%d" % (j["rows"], j["cols"]),
                     "pandoc": "%dx%d" % (p["rows"], p["cols"])})
    keys = sorted(set(j["anchors"]) | set(p["anchors"]))
    jcov = covered(j)
    for k in keys:
        stats["cells"] += 1
        ja = j["anchors"].get(k)
        pa = p["anchors"].get(k)
        cell = "r%dc%d" % k
        if ja is None and k not in jcov and pa[:3] == (1, 1, ""):
            # pandoc put an empty 1x1 cell on a grid position that jixiao
            # leaves uncovered (gridBefore / gridAfter / short row padding).
            stats["filler"] += 1
            mism.append({"table": label, "cell": cell, "kind": "pandoc-filler",
                         "jixiao": None,
                         "pandoc": {"span": [1, 1], "text": ""}})
            continue
        if ja is None:
            mism.append({"table": label, "cell": cell, "kind": "missing-in-jixiao",
                         "jixiao": None,
                         "pandoc": {"span": [pa[0], pa[1]], "text": pa[2]}})
            continue
        if pa is None:
            mism.append({"table": label, "cell": cell, "kind": "missing-in-pandoc",
                         "jixiao": {"span": [ja[0], ja[1]], "text": ja[2]},
                         "pandoc": None})
            continue
        kinds = []
        if (ja[0], ja[1]) != (pa[0], pa[1]):
            kinds.append("span")
        if ja[2] != pa[2]:
            kinds.append("text")
        if kinds:
            mism.append({"table": label, "cell": cell, "kind": "+".join(kinds),
                         "jixiao": {"span": [ja[0], ja[1]], "text": ja[2]},
                         "pandoc": {"span": [pa[0], pa[1]], "text": pa[2]}})
        else:
            stats["agree"] += 1
        # nested tables
        jn, pn = ja[3], pa[3]
        if len(jn) != len(pn):
            mism.append({"table": label, "cell": cell, "kind": "nested-count",
                         "jixiao": len(jn), "pandoc": len(pn)})
        for i in range(min(len(jn), len(pn))):
            compare(jn[i], pn[i], "%s/%s/t%d" % (label, cell, i), stats, mism)


def covered(g):
    cov = set()
    for (r, c), a in g["anchors"].items():
        for rr in range(r, r + a[0]):
            for cc in range(c, c + a[1]):
                cov.add((rr, cc))
    return cov


def compare_lists(jt, pt, stats, mism):
    if len(jt) != len(pt):
        mism.append({"table": None, "cell": None, "kind": "table-count",
                     "jixiao": len(jt), "pandoc": len(pt)})
    for i in range(min(len(jt), len(pt))):
        compare(jt[i], pt[i], "T%d" % i, stats, mism)


def run(cmd):
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], r.returncode,
                                                   r.stderr.decode(errors="replace")[:300]))
    return json.loads(r.stdout)


def native_for(docx):
    base = docx[:-5]
    for cand in (base + ".native", base + "_accept.native"):
        if os.path.exists(cand):
            return cand
    return None


def count_all(grids):
    n = 0
    for g in grids:
        n += 1
        for a in g["anchors"].values():
            n += count_all(a[3])
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jixiao", default=JIXIAO)
    ap.add_argument("--out")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 on any disagreement not known to be pandoc's")
    ap.add_argument("--export-native", metavar="FILE",
                    help="write the grids of the .native readings as JSON")
    ap.add_argument("--extended", action="store_true",
                    help="use the supplementary set: every other docx2python "
                         "resource (not merged_cells.docx)")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if args.files:
        files = args.files
    elif args.extended:
        files = [f for f in sorted(glob.glob(os.path.join(
            PEER, "docx2python/tests/resources/*.docx")))
            if not f.endswith("/merged_cells.docx")]
    else:
        files = default_inputs()

    results = []
    totals = {k: {"files": 0, "tables": 0, "cells": 0, "agree": 0, "filler": 0}
              for k in ("json", "native", "json_vs_native")}
    for f in files:
        rel = os.path.relpath(f, PEER) if f.startswith(PEER) else f
        entry = {"file": rel}
        try:
            jd = run([args.jixiao, "dump", "--format", "json", f])
            jt = [jixiao_grid(b) for b in jd["blocks"] if b["type"] == "table"]
        except Exception as e:  # noqa: BLE001
            entry["jixiao_error"] = str(e)
            jt = []
        try:
            pd = run(["pandoc", "-f", "docx", "-t", "json", f])
            pt = [pandoc_grid(t) for t in find_tables(pd["blocks"])]
        except Exception as e:  # noqa: BLE001
            entry["pandoc_error"] = str(e)
            pt = []
        nat = native_for(f)
        nt = None
        if nat:
            entry["native"] = os.path.relpath(nat, PEER)
            try:
                nd = run(["pandoc", "-f", "native", "-t", "json", nat])
                nt = [pandoc_grid(t) for t in find_tables(nd["blocks"])]
            except Exception as e:  # noqa: BLE001
                entry["native_error"] = str(e)
        entry["jixiao_tables"] = count_all(jt)
        entry["pandoc_tables"] = count_all(pt)
        if not jt and not pt and not nt:
            entry["skipped"] = "no tables"
            results.append(entry)
            continue
        pairs = [("json", jt, pt)]
        if nt is not None:
            pairs.append(("native", jt, nt))
            pairs.append(("json_vs_native", pt, nt))
        for name, a, b in pairs:
            stats = {"tables": 0, "cells": 0, "agree": 0, "filler": 0}
            mism = []
            compare_lists(a, b, stats, mism)
            entry[name] = {"stats": stats, "mismatches": mism}
            t = totals[name]
            t["files"] += 1
            for k in stats:
                t[k] += stats[k]
        results.append(entry)

        # human-readable line
        s = entry["json"]["stats"]
        line = "%-70s tables=%d cells=%d agree=%d filler=%d mism=%d" % (
            rel, s["tables"], s["cells"], s["agree"], s["filler"],
            len(entry["json"]["mismatches"]) - s["filler"])
        if "native" in entry:
            sn = entry["native"]["stats"]
            line += " | native: tables=%d cells=%d agree=%d filler=%d mism=%d" % (
                sn["tables"], sn["cells"], sn["agree"], sn["filler"],
                len(entry["native"]["mismatches"]) - sn["filler"])
        print(line)
        for m in entry["json"]["mismatches"]:
            print("   [vs json]   %s %s %s: jixiao=%s pandoc=%s" % (
                m["table"], m["cell"], m["kind"], json.dumps(m["jixiao"], ensure_ascii=False),
                json.dumps(m["pandoc"], ensure_ascii=False)))
        if "native" in entry:
            for m in entry["native"]["mismatches"]:
                print("   [vs native] %s %s %s: jixiao=%s native=%s" % (
                    m["table"], m["cell"], m["kind"], json.dumps(m["jixiao"], ensure_ascii=False),
                    json.dumps(m["pandoc"], ensure_ascii=False)))
        for k in ("jixiao_error", "pandoc_error", "native_error"):
            if k in entry:
                print("   %s: %s" % (k, entry[k]))

    if args.export_native:
        export = {}
        for f in files:
            nat = native_for(f)
            if not nat:
                continue
            try:
                blocks = run(["pandoc", "-f", "native", "-t", "json", nat])["blocks"]
            except RuntimeError:
                continue  # written by a newer pandoc in syntax 2.17 cannot read
            grids = [pandoc_grid(t) for t in find_tables(blocks)]
            if grids:
                export[os.path.relpath(f, PEER)] = [plain(g) for g in grids]
        with open(args.export_native, "w") as fh:
            json.dump(export, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")

    unexplained = []
    for e in results:
        for name in ("json", "native"):
            comparison = e.get(name)
            if not isinstance(comparison, dict):
                continue
            for m in comparison["mismatches"]:
                if m["kind"] == "pandoc-filler":
                    continue
                top = (m["table"] or "").split("/")[0]
                if name == "json" and (e["file"], top) in PANDOC_2_17_WRONG:
                    continue
                unexplained.append((e["file"], name, m))
        if "jixiao_error" in e:
            unexplained.append((e["file"], "jixiao_error", e["jixiao_error"]))

    print()
    for name, t in totals.items():
        pct = 100.0 * t["agree"] / t["cells"] if t["cells"] else 0.0
        nf = t["cells"] - t["filler"]
        pct2 = 100.0 * t["agree"] / nf if nf else 0.0
        print("TOTAL %-15s files=%d tables=%d cells=%d agree=%d (%.1f%%); "
              "excluding %d pandoc filler cells: %d/%d (%.1f%%)" % (
                  name, t["files"], t["tables"], t["cells"], t["agree"], pct,
                  t["filler"], t["agree"], nf, pct2))
    skipped = [e["file"] for e in results if e.get("skipped")]
    print("files without tables (skipped): %d" % len(skipped))
    if args.out:
        with open(args.out, "w") as fh:
            json.dump({"totals": totals, "results": results}, fh, ensure_ascii=False, indent=1)
    print("disagreements not known to be pandoc's: %d" % len(unexplained))
    for u in unexplained:
        print("   %s %s %s" % (u[0], u[1], json.dumps(u[2], ensure_ascii=False)))
    if args.check and unexplained:
        return 1
    return 0


def plain(g):
    """A grid as JSON: rows, cols and anchors [row, col, row_span, col_span, text, nested]."""
    return {
        "rows": g["rows"],
        "cols": g["cols"],
        "anchors": [[r, c, a[0], a[1], a[2], [plain(n) for n in a[3]]]
                    for (r, c), a in sorted(g["anchors"].items())],
    }


if __name__ == "__main__":
    sys.exit(main())
