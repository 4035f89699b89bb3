#!/usr/bin/env python3
"""Synthetic PDF with non-embedded STSong-Light / UniGB-UCS2-H (no ToUnicode), plus a ruled table."""
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
c = canvas.Canvas("/tmp/pdfprobe/data/stsong.pdf", pagesize=(595, 842))
c.setFont("STSong-Light", 14)
lines = ["2025年部门预算收支总表", "一般公共预算财政拨款收入 1,234.56 万元", "项目支出绩效目标申报表（三公经费）"]
for i, t in enumerate(lines):
    c.drawString(72, 760 - 24 * i, t)
# table grid: 4 rows x 3 cols with l and re
x0, y0, w, h = 72, 500, 450, 160
c.rect(x0, y0, w, h)
for k in range(1, 4):
    c.line(x0, y0 + k * h / 4, x0 + w, y0 + k * h / 4)
for k in range(1, 3):
    c.line(x0 + k * w / 3, y0, x0 + k * w / 3, y0 + h)
c.drawString(80, y0 + h - 28, "科目编码")
c.save()
