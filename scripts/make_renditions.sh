#!/bin/sh
# Usage: scripts/make_renditions.sh
# Regenerates corpus/renditions/ with LibreOffice (installed from Debian's packages when
# missing, with CJK fonts, without which the .doc bytes differ):
#   corpus/fixtures/NAME.docx   -> corpus/renditions/NAME.doc      (Word 97–2003)
#                               -> corpus/renditions/NAME.rtf      (Rich Text Format)
#                               -> corpus/renditions/NAME.pdf      (PDF, as "Export as PDF")
#   corpus/fixtures/NAME.xlsx   -> corpus/renditions/NAME.xls      (Excel 97–2003)
#   scripts/make_constructs.py  -> corpus/renditions/constructs.docx, .doc, .rtf and .pdf
#                               -> corpus/renditions/unruled.docx and .pdf (tables without rules)
#                               -> corpus/renditions/columns.docx and .pdf (text in two columns)
#   constructs.pdf with qpdf    -> corpus/protected/constructs-owner-password.pdf (anyone opens it)
#                                  corpus/protected/constructs-user-password.pdf  (password "jixiao")
# The .doc and .xls are byte-identical from run to run (LibreOffice 7.4.7, Debian 12): a fresh
# profile, a fixed locale and time zone, and sources without creation dates. An .rtf's font
# table comes in a varying order; its text does not change.
# A PDF's bytes change from run to run (creation date, document id); its text and layout do
# not. LibreOffice cannot write WPS Office or Works files; its "wps" export is this same Word 97
# file, so tests read a .doc under a .wps name instead of committing a copy.
set -eu
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1 || ! command -v qpdf >/dev/null 2>&1 \
  || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-wqy-zenhei qpdf >/dev/null
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC
out=corpus/renditions
mkdir -p "$out"
python3 scripts/make_constructs.py "$out"
# soffice exits 0 even when it cannot load a file: success is the output file existing.
convert() {
  filter=$1; ext=$2; shift 2
  soffice -env:UserInstallation="file://$profile" --headless \
    --convert-to "$ext:$filter" --outdir "$out" "$@" >/dev/null 2>&1 || true
  for f in "$@"; do
    made="$out/$(basename "${f%.*}").$ext"
    if [ -s "$made" ]; then echo "made $made"; else echo "FAILED $f" >&2; exit 1; fi
  done
}
convert "MS Word 97" doc corpus/fixtures/*.docx "$out/constructs.docx"
convert "Rich Text Format" rtf corpus/fixtures/*.docx "$out/constructs.docx"
convert "MS Excel 97" xls corpus/fixtures/fund-2023-hunan.xlsx
convert "writer_pdf_Export" pdf corpus/fixtures/*.docx "$out/constructs.docx" "$out/unruled.docx" \
  "$out/columns.docx"
# Kept apart: a walk of corpus/renditions must not meet a file it cannot open.
mkdir -p corpus/protected
qpdf --encrypt "" owner-secret 256 -- "$out/constructs.pdf" corpus/protected/constructs-owner-password.pdf
qpdf --encrypt jixiao owner-secret 256 -- "$out/constructs.pdf" corpus/protected/constructs-user-password.pdf
echo "made corpus/protected/constructs-owner-password.pdf and constructs-user-password.pdf"
