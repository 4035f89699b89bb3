#!/usr/bin/env python3
"""Writes three small Word documents with figures from the Xiangxi report into OUT_DIR:
constructs.docx, holding the constructs a reader must get right (a heading style, a vertical
merge, a column span, a table nested in a cell, a field whose result is kept and whose code is
dropped, a hyperlink, a footnote, a header and a footer), and unruled.docx, two tables drawn
without vertical rules (one with no rules at all, one ruled as a three-line table with a cell
wrapped over two lines), which a PDF reader must find by the alignment of their text, and
columns.docx, the report's account of its work set in two columns, which a PDF reader must
read column by column. scripts/make_renditions.sh turns them into
.doc and .pdf with LibreOffice; tests/doc.rs and tests/pdf.rs require each rendition to read
like its .docx.

Usage: python3 scripts/make_constructs.py OUT_DIR
"""
import os, sys, zipfile
W='http://schemas.openxmlformats.org/wordprocessingml/2006/main'
R='http://schemas.openxmlformats.org/officeDocument/2006/relationships'
def p(t, style=None, jc=None):
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ''
    ppr += f'<w:jc w:val="{jc}"/>' if jc else ''
    ppr = f'<w:pPr>{ppr}</w:pPr>' if ppr else ''
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>'
def tc(content, extra='', w=2000):
    return f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{extra}</w:tcPr>{content}</w:tc>'
def grid(n, w=2000): return '<w:tblGrid>' + ''.join(f'<w:gridCol w:w="{w}"/>' for _ in range(n)) + '</w:tblGrid>'
tblpr='<w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr>'
nested = f'<w:tbl>{tblpr}{grid(2,900)}<w:tr>{tc(p("其中：人员经费"))}{tc(p("721.65"))}</w:tr><w:tr>{tc(p("公用经费"))}{tc(p("108.69"))}</w:tr></w:tbl>'
field = ('<w:p><w:r><w:t xml:space="preserve">合计 </w:t></w:r>'
         '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> =SUM(ABOVE) </w:instrText></w:r>'
         '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>830.35</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
         '<w:r><w:t xml:space="preserve"> 万元</w:t></w:r></w:p>')
VR='<w:vMerge w:val="restart"/>'
VC='<w:vMerge/>'
GS='<w:gridSpan w:val="2"/>'
body = (p('基本支出情况', 'Heading1') + p('本表为测试用的结构样例，数字取自湘西自治州2021年报告。')
  + f'<w:tbl>{tblpr}{grid(4)}'
  + f'<w:tr>{tc(p("项目"), VR)}{tc(p("金额（万元）"), GS)}{tc(p("备注"))}</w:tr>'
  + f'<w:tr>{tc(p(""), VC)}{tc(p("本年"))}{tc(p("上年"))}{tc(p(""))}</w:tr>'
  + f'<w:tr>{tc(p("基本支出"))}{tc(p("830.35"))}{tc(p("801.20"))}{tc(nested + p(""))}</w:tr>'
  + f'<w:tr>{tc(field)}{tc(p("830.35"))}{tc(p(""))}{tc(p("见附注"))}</w:tr>'
  + '</w:tbl>'
  + '<w:p><w:r><w:t xml:space="preserve">详见</w:t></w:r><w:hyperlink r:id="rIdLink"><w:r><w:t>财政部网站</w:t></w:r></w:hyperlink><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>。</w:t></w:r></w:p>'
  + p('（一）人员经费721.65万元', 'Heading2'))
def document(body, sect='', cols=''): return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}<w:sectPr>{sect}<w:pgSz w:w="11906" w:h="16838"/>{cols}</w:sectPr></w:body></w:document>'
doc = document(body, '<w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/>')
styles = f'''<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>'''
header = f'<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W}">{p("页眉：湘西自治州乡村振兴局")}</w:hdr>'
footer = f'<?xml version="1.0" encoding="UTF-8"?><w:ftr xmlns:w="{W}">{p("第 1 页 共 1 页")}</w:ftr>'
footnotes = f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1">{p("脚注：数字为决算数999万元。")}</w:footnote></w:footnotes>'
rels = f'''<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.mof.gov.cn/" TargetMode="External"/></Relationships>'''
ct = '''<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'''
toprels = '''<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'''

# unruled.docx: the income and spending tables of the Xiangxi report without vertical rules.
# Figures are right-aligned under centred headings, as in a printed account; the spending
# table's first column is narrow, so that 局机关及二级机构汇总 wraps onto a second line.
NONE = ''.join(f'<w:{side} w:val="nil"/>' for side in ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'])
def table(borders, widths, rows, header_rule=''):
    def cell(i, text, header):
        jc = 'center' if header and i > 0 else ('right' if i > 0 else None)
        return tc(p(text, jc=jc), header_rule if header else '', widths[i])
    trs = ''.join('<w:tr>' + ''.join(cell(i, t, n == 0) for i, t in enumerate(row)) + '</w:tr>' for n, row in enumerate(rows))
    cols = ''.join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{cols}</w:tblGrid>{trs}</w:tbl>'
income = table(NONE, [3000, 1600, 1600, 1900, 1500], [
    ['机构名称', '收入合计', '上年结转', '公共财政拨款', '其他收入'],
    ['局机关及二级机构汇总', '1,482.43', '224.76', '1,252.66', '5.01'],
    ['1、局机关', '1,333.13', '223.36', '1,104.77', '5.00'],
    ['2、二级机构', '149.30', '1.40', '147.89', '0.01']])
THREE_LINE = ('<w:top w:val="single" w:sz="12"/><w:left w:val="nil"/><w:bottom w:val="single" w:sz="12"/>'
              '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>')
spending = table(THREE_LINE, [1500, 1800, 1800, 1800], [
    ['机构名称', '支出合计', '基本支出', '项目支出'],
    ['局机关及二级机构汇总', '1,478.93', '830.35', '648.59'],
    ['1、局机关', '1,329.63', '681.05', '648.59'],
    ['2、二级机构', '149.30', '149.30', '']],
    '<w:tcBorders><w:bottom w:val="single" w:sz="6"/></w:tcBorders>')
unruled_body = (p('收支情况', 'Heading1')
  + p('本文档的两张表没有竖线，第一张没有任何框线，第二张是三线表，数字取自湘西自治州2021年报告。')
  + p('年度收入情况（万元）') + income
  + p('年度支出情况（万元）') + spending
  + p('2021年收入合计1,482.43万元，支出合计1,478.93万元。'))
unruled_ct = '''<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>'''
unruled_rels = '''<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'''

# columns.docx: the Xiangxi report's account of its work (seed 000, section 六) in two
# columns; the third paragraph runs on from the foot of the left column to the top of the right.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus', 'seeds', '000_d660c977e1eff9a8.txt'), encoding='utf-8') as f:
    seed = [l.strip() for l in f.read().split('\n')]
work = [l for l in seed[441:453] if l]
columns_body = p('六、部门整体支出绩效情况', 'Heading1') + ''.join(p(t) for t in work)
columns_cols = '<w:cols w:num="2" w:space="425"/>'

def write(path, parts):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, date_time=(2026, 12, 2, 0, 0, 0)); zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
out = sys.argv[1]
write(os.path.join(out, 'constructs.docx'), [('[Content_Types].xml', ct), ('_rels/.rels', toprels), ('word/document.xml', doc), ('word/styles.xml', styles), ('word/header1.xml', header), ('word/footer1.xml', footer), ('word/footnotes.xml', footnotes), ('word/_rels/document.xml.rels', rels)])
write(os.path.join(out, 'unruled.docx'), [('[Content_Types].xml', unruled_ct), ('_rels/.rels', toprels), ('word/document.xml', document(unruled_body)), ('word/styles.xml', styles), ('word/_rels/document.xml.rels', unruled_rels)])
write(os.path.join(out, 'columns.docx'), [('[Content_Types].xml', unruled_ct), ('_rels/.rels', toprels), ('word/document.xml', document(columns_body, cols=columns_cols)), ('word/styles.xml', styles), ('word/_rels/document.xml.rels', unruled_rels)])
