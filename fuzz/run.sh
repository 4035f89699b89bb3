#!/bin/sh
# Usage: fuzz/run.sh TARGET [SECONDS] [extra libFuzzer args...]
# One libFuzzer process (-jobs/-workers not used), stable toolchain via RUSTC_BOOTSTRAP=1,
# no sanitizer (safe Rust; 4x the executions of an ASan build). New inputs go to the working
# corpus $WORK/TARGET; the committed seeds in fuzz/corpus/TARGET are only read.
set -eu
cd "$(dirname "$0")"
t=$1; secs=${2:-480}; shift; [ $# -gt 0 ] && shift
WORK=${WORK:-/tmp/fuzz/work}; ART=${ART:-/tmp/fuzz/artifacts}; TD=${TD:-/tmp/fuzz/target-none}
# Seeds: fuzz/corpus/TARGET, plus the repository's own documents (read, never written), plus
# other projects' test files where they lie ($JIXIAO_PEER_FILES, else ../shared/peer-files
# beside the checkout; they are not ours and are never committed).
PEER=${JIXIAO_PEER_FILES:-../../shared/peer-files}
[ -d "$PEER" ] || PEER=""
peer() { if [ -n "$PEER" ]; then for d in "$@"; do printf '%s ' "$PEER/$d"; done; fi; }
case $t in
  read_docx|pipeline) dict=dicts/docx.dict; seeds="../corpus/fixtures $(peer pandoc docx2python python-docx)" ;;
  read_docx_xml) dict=dicts/docx.dict; seeds="" ;;
  read_doc) dict=dicts/doc.dict; seeds="../corpus/renditions" ;;
  read_rtf) dict=dicts/rtf.dict; seeds="../corpus/renditions" ;;
  read_pdf) dict=dicts/pdf.dict; seeds="../corpus/renditions" ;;
  read_sheet) dict=dicts/xlsx.dict; seeds="$(peer calamine)../corpus/fixtures" ;;
  read_sheet_xml) dict=dicts/xlsx.dict; seeds="" ;;
  read_html) dict=dicts/html.dict; seeds="../corpus/fixtures" ;;
  read_text) dict=dicts/numbers.dict; seeds="../corpus/fixtures ../corpus/seeds" ;;
  numbers) dict=dicts/numbers.dict; seeds="" ;;
  *) echo "unknown target $t" >&2; exit 2 ;;
esac
mkdir -p "$WORK/$t" "$ART/$t" "corpus/$t"
exec env RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --target-dir "$TD" "$t" \
  "$WORK/$t" "corpus/$t" $seeds -- \
  -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -dict="$dict" \
  -artifact_prefix="$ART/$t/" -print_final_stats=1 "$@"
