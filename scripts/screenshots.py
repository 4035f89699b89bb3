#!/usr/bin/env python3
"""Screenshots of the HTML report for the README: the overview of `jixiao check corpus` and the
Hunan report's 附件2 table with its findings marked (docs/report-overview.png,
docs/report-hunan-annex2.png).

Usage: python3 scripts/screenshots.py [--jixiao target/debug/jixiao]

Drives Debian's Chromium (installed if missing) over the DevTools protocol, with
websocket-client from PyPI in a venv under /tmp, so that a single element can be captured.
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = "/tmp/jixiao-screenshots-venv"


def ensure_tools():
    if subprocess.run(["sh", "-c", "command -v chromium"], capture_output=True).returncode:
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"], check=True)
    if not os.path.exists(os.path.join(VENV, "bin", "python")):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "websocket-client"], check=True)
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        os.execv(os.path.join(VENV, "bin", "python"), [os.path.join(VENV, "bin", "python")] + sys.argv)


def shoot(url, element, out, width=1500):
    import websocket  # from the venv

    profile = tempfile.mkdtemp()
    port = 9333
    browser = subprocess.Popen([
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=%d" % port, "--window-size=%d,1000" % width, "about:blank",
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json" % port))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:  # noqa: BLE001 - the browser is still starting
                time.sleep(0.1)
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
        ids = iter(range(1, 1000))

        def call(method, **params):
            n = next(ids)
            ws.send(json.dumps({"id": n, "method": method, "params": params}))
            while True:
                reply = json.loads(ws.recv())
                if reply.get("id") == n:
                    return reply.get("result", {})

        call("Page.enable")
        call("Page.navigate", url=url)
        time.sleep(1.5)
        box = call("Runtime.evaluate", returnByValue=True, expression=(
            "(function(){var r=document.getElementById(%s).getBoundingClientRect();"
            "return [r.left+scrollX, r.top+scrollY, r.width, r.height];})()" % json.dumps(element)
        ))["result"]["value"]
        x, y, w, h = box
        shot = call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                    clip={"x": max(x - 8, 0), "y": max(y - 8, 0), "width": w + 16, "height": h + 16, "scale": 1})
        with open(out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print("wrote", out)
    finally:
        browser.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jixiao", default=os.path.join(ROOT, "target", "debug", "jixiao"))
    args = ap.parse_args()
    ensure_tools()
    work = tempfile.mkdtemp()
    report = os.path.join(work, "report.html")
    subprocess.run([args.jixiao, "check", "-q", "--output-format", "html", "--lang", "zh", "--out", report,
                    "corpus/fixtures", "corpus/seeds"], cwd=ROOT)
    shoot("file://" + report, "overview", os.path.join(ROOT, "docs", "report-overview.png"))
    hunan = os.path.join(work, "hunan.html")
    subprocess.run([args.jixiao, "check", "-q", "--output-format", "html", "--lang", "zh", "--out", hunan,
                    "corpus/fixtures/fund-2023-hunan.docx"], cwd=ROOT)
    with open(hunan, encoding="utf-8") as f:
        page = f.read()
    marker = 'class="doc-table" id="'
    start = page.index(marker, page.index(marker) + 1) + len(marker)  # the second table: 附件2
    shoot("file://" + hunan, page[start:page.index('"', start)], os.path.join(ROOT, "docs", "report-hunan-annex2.png"), width=1900)


if __name__ == "__main__":
    main()
