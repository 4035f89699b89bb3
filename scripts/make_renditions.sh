#!/bin/sh
# Usage: scripts/make_renditions.sh
# Regenerates corpus/renditions/ with LibreOffice (installed from Debian's packages when
# missing, with CJK fonts, without which the .doc bytes differ):
#   corpus/fixtures/NAME.docx   -> corpus/renditions/NAME.doc      (Word 97–2003)
#                               -> corpus/renditions/NAME.rtf      (Rich Text Format)
#   corpus/fixtures/NAME.xlsx   -> corpus/renditions/NAME.xls      (Excel 97–2003)
#   scripts/make_constructs.py  -> corpus/renditions/constructs.docx, .doc and .rtf
# The .doc and .xls are byte-identical from run to run (LibreOffice 7.4.7, Debian 12): a fresh
# profile, a fixed locale and time zone, and sources without creation dates. An .rtf's font
# table comes in a varying order; its text does not change.
# LibreOffice cannot write WPS Office or Works files; its "wps" export is this same Word 97
# file, so tests read a .doc under a .wps name instead of committing a copy.
set -eu
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-wqy-zenhei >/dev/null
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC
out=corpus/renditions
mkdir -p "$out"
python3 scripts/make_constructs.py "$out/constructs.docx"
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
