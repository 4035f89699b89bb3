#!/usr/bin/env python3
"""What a user would otherwise write: python-docx, every paragraph and table cell, numbers by
regex. Reads every .docx under the given directories and prints one JSON line per document
(paragraph count, cell count, figures found), so it does comparable work to `jixiao extract`.

Usage: python3 bench/python_docx_baseline.py FILE|DIR... > out.jsonl
"""
import json
import os
import re
import sys

import docx  # python-docx

NUMBER = re.compile(r"[-−]?\d[\d,，]*(?:\.\d+)?\s*(?:%|万元|亿元|元|万人|人次|人|户|个|分)?")


def figures(text):
    return [m.group(0) for m in NUMBER.finditer(text)]


def extract(path):
    d = docx.Document(path)
    paragraphs = [p.text for p in d.paragraphs]
    cells = []
    for t in d.tables:
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row.cells):
                cells.append({"row": r, "col": c, "text": cell.text, "figures": figures(cell.text)})
    return {
        "path": path,
        "paragraphs": len(paragraphs),
        "figures": [f for p in paragraphs for f in figures(p)],
        "cells": cells,
    }


def main():
    paths = []
    for root in sys.argv[1:]:
        if os.path.isfile(root):
            paths.append(root)
        for dirpath, _, names in os.walk(root):
            paths += [os.path.join(dirpath, n) for n in names if n.endswith(".docx")]
    out = sys.stdout
    for p in sorted(paths):
        try:
            out.write(json.dumps(extract(p), ensure_ascii=False) + "\n")
        except Exception as e:  # noqa: BLE001 - a baseline user would skip bad files too
            out.write(json.dumps({"path": p, "error": str(e)}) + "\n")


if __name__ == "__main__":
    main()
