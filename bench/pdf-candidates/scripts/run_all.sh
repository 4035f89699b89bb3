#!/bin/bash
# run every probe over real / encrypted / damaged inputs; each file in a child process, 20 s timeout
cd /tmp/pdfprobe
BINS="${BINS:-lopdf_builtin lopdf_own p_pdfextract p_pdfrs p_oxide}"
SETS="${SETS:-real enc damaged}"
for b in $BINS; do
  for s in $SETS; do
    case $s in real) files=(/work/shared/real/*.pdf);; enc) files=(data/enc/*.pdf);; damaged) files=(data/damaged/*.pdf);; esac
    target/release/$b batch out/$b/$s 20 "${files[@]}" > out/$b.$s.jsonl
    echo "$b $s $(wc -l < out/$b.$s.jsonl)"
  done
done
