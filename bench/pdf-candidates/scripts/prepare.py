#!/usr/bin/env python3
"""Build probe inputs: pdftotext references, owner-password-only encrypted copies, damaged copies."""
import os, random, subprocess, glob, shutil
REAL = "/work/shared/real"
D = "/tmp/pdfprobe/data"
real = sorted(glob.glob(f"{REAL}/*.pdf"))

# 1. pdftotext -layout references
for f in real:
    out = f"{D}/ref/{os.path.basename(f)}.txt"
    if not os.path.exists(out):
        subprocess.run(["pdftotext", "-layout", f, out], check=True)

# 2. owner-password-only copies (user password empty), copying restricted like many gov PDFs
ENC_SRC = ["上海市普陀区人民政府办公室25年预算.pdf", "江苏省政协办公厅2018年度部门预算.pdf", "江苏省委办公厅2019年度部门预算公开表格.pdf"]
VARIANTS = {"rc4-40": ["40", "--allow-weak-crypto"], "rc4-128": ["128", "--use-aes=n", "--allow-weak-crypto"],
            "aes-128": ["128", "--use-aes=y"], "aes-256": ["256"]}
for i, name in enumerate(ENC_SRC):
    for v, args in VARIANTS.items():
        out = f"{D}/enc/enc{i}-{v}.pdf"
        key = args[0]
        extra = [a for a in args[1:] if a != "--allow-weak-crypto"]
        weak = ["--allow-weak-crypto"] if "--allow-weak-crypto" in args else []
        restr = ["--print=full", "--modify=none", "--extract=n"] if key != "40" else ["--print=y", "--modify=n", "--extract=n"]
        cmd = ["qpdf"] + weak + ["--encrypt", "", "owner-secret", key] + extra + restr + ["--", f"{REAL}/{name}", out]
        subprocess.run(cmd, check=True)
        shutil.copy(f"{D}/ref/{name}.txt", f"{D}/ref/enc{i}-{v}.pdf.txt")

# 3. damaged copies: 3 PDFs x (10 truncations + 20 byte-flip copies), fixed seed
DMG_SRC = ["省法院2018年度部门预算公开.pdf", "江苏省委办公厅2017年预算公开表格.pdf", "上海市普陀区商务委员会25年预算.pdf"]
rng = random.Random(20240601)
for i, name in enumerate(DMG_SRC):
    data = open(f"{REAL}/{name}", "rb").read()
    n = len(data)
    for k, frac in enumerate([0.02, 0.10, 0.25, 0.40, 0.50, 0.60, 0.75, 0.90, 0.98, 0.999]):
        open(f"{D}/damaged/d{i}-trunc{k:02d}.pdf", "wb").write(data[: int(n * frac)])
    for k in range(20):
        b = bytearray(data)
        # copies 0-9: 16 random bytes anywhere; 10-19: 16 bytes in the last 5% (xref / trailer / object streams)
        lo = 0 if k < 10 else int(n * 0.95)
        for _ in range(16):
            p = rng.randrange(lo, n)
            b[p] = rng.randrange(256)
        open(f"{D}/damaged/d{i}-flip{k:02d}.pdf", "wb").write(bytes(b))
print("real", len(real), "enc", len(glob.glob(f"{D}/enc/*.pdf")), "damaged", len(glob.glob(f"{D}/damaged/*.pdf")))
