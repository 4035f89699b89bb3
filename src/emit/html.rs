//! The HTML report (`check --output-format html`): one self-contained page with an overview,
//! then each document's findings, its tables drawn with their spans and the findings' cells
//! marked, and the sentences the findings quote; or, into a directory, an index page and one
//! page per document (for batches of thousands).
//!
//! Every text taken from a document is escaped. The page needs nothing from outside: the styles,
//! the chart (SVG) and a small script (filters by severity and rule, a text search) are inline,
//! and the page reads the same without the script.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;

use super::{Emitter, Report};
use crate::batch::{self, Delivery, Options, Tally};
use crate::check::{self, Finding, Severity};
use crate::location::At;
use crate::model::{Block, Document, Table};

pub use crate::lang::Lang;

/// The report's own words in one language.
struct Words {
    title: &'static str,
    overview: &'static str,
    documents: &'static str,
    document: &'static str,
    family: &'static str,
    generic: &'static str,
    by_rule: &'static str,
    rule: &'static str,
    unreadable: &'static str,
    skipped: &'static str,
    none: &'static str,
    findings: &'static str,
    no_findings: &'static str,
    tables: &'static str,
    sentences: &'static str,
    rules: &'static str,
    stated: &'static str,
    computed: &'static str,
    difference: &'static str,
    search: &'static str,
    all_rules: &'static str,
    severities: [&'static str; 3],
    table: &'static str,
    other_document: &'static str,
    legend_total: &'static str,
    legend_part: &'static str,
}

const ZH: Words = Words {
    title: "jixiao 检查报告",
    overview: "概览",
    documents: "文档",
    document: "文档",
    family: "类型",
    generic: "未识别",
    by_rule: "按规则统计",
    rule: "规则",
    unreadable: "无法读取的文件",
    skipped: "跳过的文件",
    none: "无",
    findings: "发现的问题",
    no_findings: "未发现问题。",
    tables: "表格",
    sentences: "引用的文字",
    rules: "规则说明",
    stated: "填报",
    computed: "计算",
    difference: "差额",
    search: "搜索",
    all_rules: "全部规则",
    severities: ["提示", "警告", "错误"],
    table: "表",
    other_document: "另一文档",
    legend_total: "填报的数字",
    legend_part: "参与计算的数字",
};

const EN: Words = Words {
    title: "jixiao check report",
    overview: "Overview",
    documents: "Documents",
    document: "Document",
    family: "Family",
    generic: crate::extract::family::NO_FAMILY,
    by_rule: "Findings by rule",
    rule: "Rule",
    unreadable: "Unreadable files",
    skipped: "Skipped files",
    none: "none",
    findings: "Findings",
    no_findings: "No findings.",
    tables: "Tables",
    sentences: "Sentences quoted",
    rules: "Rules",
    stated: "stated",
    computed: "computed",
    difference: "difference",
    search: "Search",
    all_rules: "all rules",
    severities: ["info", "warning", "error"],
    table: "table",
    other_document: "another document",
    legend_total: "the figure stated",
    legend_part: "figures it is computed from",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

/// A stable anchor for a document: from its path, so links survive re-runs.
fn document_id(path: &str) -> String {
    format!("d{}", &crate::read::hex_sha256(path.as_bytes())[..12])
}

/// One line of the overview's documents table.
struct Row {
    path: String,
    family: Option<String>,
    counts: [usize; 3],
    failed: bool,
}

/// What the overview counts, gathered as documents are rendered.
#[derive(Default)]
struct Totals {
    rows: Vec<Row>,
    by_rule: BTreeMap<&'static str, [usize; 3]>,
}

impl Totals {
    fn add(&mut self, entry: Entry) {
        let mut counts = [0; 3];
        for (code, severity) in entry.findings {
            counts[severity_index(severity)] += 1;
            self.by_rule.entry(code).or_default()[severity_index(severity)] += 1;
        }
        if let Some(row) = self.rows.iter_mut().find(|r| r.path == entry.path) {
            // Cross-document findings come after the document itself.
            for (a, b) in row.counts.iter_mut().zip(counts) {
                *a += b;
            }
            return;
        }
        self.rows.push(Row {
            path: entry.path,
            family: entry.family,
            counts,
            failed: entry.failed,
        });
    }
}

/// What the overview needs of one report.
struct Entry {
    path: String,
    family: Option<String>,
    failed: bool,
    findings: Vec<(&'static str, Severity)>,
}

impl Entry {
    fn of(report: &Report) -> Self {
        Entry {
            path: report.path().to_string(),
            family: match report {
                Report::Checked(x, _) => x.family.clone(),
                _ => None,
            },
            failed: matches!(report, Report::Failed { .. }),
            findings: report
                .findings()
                .iter()
                .map(|f| (f.code, f.severity))
                .collect(),
        }
    }
}

/// `html`: the whole batch as one page.
pub struct Html {
    lang: Lang,
    totals: Mutex<Totals>,
}

impl Html {
    pub fn new(lang: Lang) -> Self {
        Html {
            lang,
            totals: Mutex::new(Totals::default()),
        }
    }
}

impl Emitter for Html {
    fn begin(&self) -> String {
        head(self.lang, words(self.lang).title) + &filters(self.lang)
    }

    fn document(&self, report: &Report) -> String {
        if let Ok(mut t) = self.totals.lock() {
            t.add(Entry::of(report));
        }
        section(report, self.lang)
    }

    fn end(&self, tally: &Tally) -> String {
        let totals = self
            .totals
            .lock()
            .map(|t| overview(&t, tally, self.lang, false));
        totals.unwrap_or_default() + &rules_appendix(self.lang) + &foot()
    }
}

/// Writes the report into `dir`: `index.html` (the overview, linking each document's page)
/// and one page per document, named after its anchor. Returns the batch's tally.
pub fn write_directory(
    dir: &Path,
    lang: Lang,
    paths: &[std::path::PathBuf],
    options: &Options<'_>,
) -> std::io::Result<Tally> {
    std::fs::create_dir_all(dir)?;
    let mut totals = Totals::default();
    let page = |report: &Report| (Entry::of(report), section(report, lang));
    let mut written = BTreeSet::new();
    let tally = batch::run(paths, options, &page, &mut |delivery| {
        let Delivery::Next((entry, body)) = delivery else {
            return Ok(());
        };
        let file = dir.join(format!("{}.html", document_id(&entry.path)));
        if written.insert(entry.path.clone()) {
            let html = head(lang, &escape(&entry.path)) + &filters(lang) + &body;
            std::fs::write(&file, html + &rules_appendix(lang) + &foot())?;
        } else {
            // Cross-document findings arrive after their document: add them to its page.
            let mut html = std::fs::read_to_string(&file)?;
            if let Some(at) = html.rfind("<section class=\"rules\"") {
                html.insert_str(at, &body);
            }
            std::fs::write(&file, html)?;
        }
        totals.add(entry);
        Ok(())
    })?;
    let index = head(lang, words(lang).title) + &overview(&totals, &tally, lang, true) + &foot();
    std::fs::write(dir.join("index.html"), index)?;
    Ok(tally)
}

const STYLE: &str = r#"
:root{--err:#b3261e;--warn:#a15c00;--info:#3b6ea8;--total:#ffd54f;--part:#b3e5fc;--line:#c8c8c8}
body{font:14px/1.5 "Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#1d1d1d}
main{display:flex;flex-direction:column;gap:1.5rem;padding:1rem 2rem;max-width:1400px}
.overview{order:-2}.filters{order:-1;position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid var(--line);z-index:2}
h1{font-size:1.5rem;margin:.2rem 0;order:-3}h2{font-size:1.2rem;margin:.2rem 0;word-break:break-all}h3{font-size:1rem;margin:1rem 0 .3rem}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:2px 6px;vertical-align:top}
th{background:#f3f3f3;text-align:left}.num{text-align:right}
.doc{border-top:3px solid #555;padding-top:.5rem}.meta{color:#555}
.badge{display:inline-block;min-width:4em;text-align:center;border-radius:3px;color:#fff;padding:0 .4em;font-size:.85em}
.sev-error .badge{background:var(--err)}.sev-warning .badge{background:var(--warn)}.sev-info .badge{background:var(--info)}
.findings{padding-left:1.5rem}.finding{margin:.4rem 0}.finding p{margin:.1rem 0}.where{color:#555;font-size:.9em}
.involved td{font-size:.9em}
.doc-table{overflow-x:auto;margin:.5rem 0}.doc-table table{font-size:.85em}.doc-table caption{text-align:left;color:#555}
td.hl-part{background:var(--part)}td.hl-total{background:var(--total);outline:2px solid #e65100}
mark.hl-total{background:var(--total)}mark.hl-part{background:var(--part)}
.diff{display:block;font-size:.8em;color:var(--err);font-weight:bold}
.legend span{padding:0 .5em;margin-right:1em}.hidden{display:none}
.hl-off{background:none!important;outline:none!important}
blockquote{margin:.3rem 0;padding:.2rem .8rem;border-left:4px solid var(--line)}
details pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem}
svg text{font-size:11px}
@media print{.filters{display:none}main{display:block;padding:0}.doc{break-before:page}.doc-table{overflow:visible}td.hl-total,td.hl-part,mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}details{display:none}}
"#;

/// Filters by severity and rule and a text search; the page is complete without it.
const SCRIPT: &str = r#"
(function(){
var form=document.getElementById('filters');if(!form){document.body.dataset.ready='1';return;}
function apply(){
  var sev={};form.querySelectorAll('input[name=sev]').forEach(function(c){sev[c.value]=c.checked;});
  var rule=form.querySelector('select[name=rule]').value;
  var q=form.querySelector('input[name=q]').value.toLowerCase();
  var shown={};
  document.querySelectorAll('li.finding').forEach(function(li){
    var ok=sev[li.dataset.severity]&&(!rule||li.dataset.rule===rule)&&(!q||li.textContent.toLowerCase().indexOf(q)>=0);
    li.classList.toggle('hidden',!ok);if(ok){shown[li.id]=1;}
  });
  document.querySelectorAll('[data-findings]').forEach(function(el){
    var on=el.dataset.findings.split(' ').some(function(id){return shown[id];});
    el.classList.toggle('hl-off',!on);
  });
}
form.addEventListener('input',apply);form.addEventListener('change',apply);apply();
document.body.dataset.ready='1';
})();
"#;

fn foot() -> String {
    format!("</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")
}

fn head(lang: Lang, title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n",
        lang.code()
    )
}

fn filters(lang: Lang) -> String {
    let w = words(lang);
    let mut out = String::from("<form class=\"filters\" id=\"filters\" onsubmit=\"return false\">");
    for (i, name) in ["info", "warning", "error"].iter().enumerate().rev() {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"sev\" value=\"{name}\" checked> {}</label> ",
            w.severities[i]
        );
    }
    let _ = write!(
        out,
        "<select name=\"rule\"><option value=\"\">{}</option>",
        w.all_rules
    );
    for r in check::registry() {
        let _ = write!(
            out,
            "<option value=\"{}\">{} {}</option>",
            r.code, r.code, r.name
        );
    }
    let _ = writeln!(
        out,
        "</select> <label>{} <input type=\"search\" name=\"q\"></label> <span class=\"legend\"><span style=\"background:var(--total)\">{}</span><span style=\"background:var(--part)\">{}</span></span></form>",
        w.search, w.legend_total, w.legend_part
    );
    out
}

/// The place of a finding as a Word or spreadsheet user counts (1-based).
fn place(at: &At, lang: Lang) -> String {
    escape(&at.describe(lang))
}

/// The anchor id of the cell at a finding's place, when it is a cell of this document.
fn cell_id(doc_id: &str, doc: Option<&Document>, at: &At) -> Option<String> {
    let At::Cell {
        table, row, col, ..
    } = at
    else {
        return None;
    };
    let t = doc?.tables().into_iter().find(|t| t.index == *table)?;
    let c = t.cell_at(*row, *col)?;
    Some(format!("{doc_id}-t{table}-r{}-c{}", c.row, c.col))
}

fn finding_item(out: &mut String, f: &Finding, id: &str, cells: &str, lang: Lang) {
    let w = words(lang);
    let sev = f.severity.name();
    let _ = write!(
        out,
        "<li class=\"finding sev-{sev}\" id=\"{id}\" data-severity=\"{sev}\" data-rule=\"{}\" data-cells=\"{cells}\"><span class=\"badge\">{}</span> <a href=\"#rule-{}\"><code>{}</code></a> {} <p class=\"msg\">{}</p>",
        f.code,
        w.severities[severity_index(f.severity)],
        f.code,
        f.code,
        f.rule,
        escape(&f.message)
    );
    if let (Some(s), Some(c)) = (&f.stated, &f.computed) {
        let _ = write!(
            out,
            "<p class=\"figures\">{} <b>{}</b> · {} <b>{}</b>",
            w.stated,
            escape(s),
            w.computed,
            escape(c)
        );
        if let Some(d) = &f.difference {
            let _ = write!(out, " · {} <b>{}</b>", w.difference, escape(d));
        }
        out.push_str("</p>");
    }
    let _ = write!(out, "<p class=\"where\">{}</p>", place(&f.at, lang));
    if !f.involved.is_empty() {
        out.push_str("<table class=\"involved\">");
        for i in &f.involved {
            let where_ = match &i.document {
                Some(other) => format!("{}: {}", w.other_document, escape(other)),
                None => place(&i.at, lang),
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{where_}</td></tr>",
                escape(i.role),
                escape(&i.label),
                escape(&i.raw)
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</li>\n");
}

/// A paragraph's marked character spans: whether a stated figure, and the finding ids.
type Spans = BTreeMap<(usize, usize), (bool, Vec<String>)>;

/// How each cell and sentence span of a document is marked: by (table, row, col) of the
/// anchor cell and by (block, span), the findings that mark it and whether it is a stated one.
#[derive(Default)]
struct Marks {
    cells: BTreeMap<(usize, usize, usize), Mark>,
    /// By block, then character span: whether a stated figure, and the finding ids.
    spans: BTreeMap<usize, Spans>,
}

#[derive(Default)]
struct Mark {
    stated: bool,
    /// Ids of the findings that mark the cell.
    findings: BTreeSet<String>,
    /// One line per finding, for the cell's tooltip.
    titles: BTreeSet<String>,
    /// The differences written in the cell.
    notes: BTreeSet<String>,
}

fn section(report: &Report, lang: Lang) -> String {
    let w = words(lang);
    let path = report.path();
    let doc_id = document_id(path);
    let mut out = format!(
        "<section class=\"doc\" id=\"{doc_id}\">\n<h2>{}</h2>\n",
        escape(path)
    );
    let (doc, x) = match report {
        Report::Checked(x, doc) => (doc.as_deref(), Some(x)),
        _ => (None, None),
    };
    if let Report::Failed { error, .. } = report {
        let _ = writeln!(
            out,
            "<p class=\"unreadable\">{}: {}</p>",
            w.unreadable,
            escape(error)
        );
    }
    if let Some(x) = x {
        let family = x.family.as_deref().unwrap_or(w.generic);
        let meta: Vec<String> = [
            x.meta.title.clone(),
            x.meta.department.clone(),
            x.meta.year.map(|y| y.to_string()),
        ]
        .into_iter()
        .flatten()
        .map(|m| escape(&m))
        .collect();
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} · {}: {} · {}</p>",
            x.source.format.name(),
            w.family,
            escape(family),
            meta.join(" · ")
        );
    }
    let findings = report.findings();
    let mut marks = Marks::default();
    let _ = writeln!(out, "<h3>{} ({})</h3>", w.findings, findings.len());
    if findings.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", w.no_findings);
    } else {
        out.push_str("<ol class=\"findings\">\n");
        for (i, f) in findings.iter().enumerate() {
            let id = format!("{doc_id}-f{i}");
            let mut cells = Vec::new();
            for (at, stated) in std::iter::once((&f.at, true)).chain(
                f.involved
                    .iter()
                    .filter(|i| i.document.is_none() && i.at != f.at)
                    .map(|i| (&i.at, false)),
            ) {
                mark(&mut marks, doc, at, stated, &id, f, lang);
                if let Some(c) = cell_id(&doc_id, doc, at) {
                    cells.push(c);
                }
            }
            cells.dedup();
            finding_item(&mut out, f, &id, &cells.join(" "), lang);
        }
        out.push_str("</ol>\n");
    }
    if let Some(doc) = doc {
        let tables: Vec<&Table> = doc.top_level_tables().collect();
        if !tables.is_empty() {
            let _ = writeln!(out, "<h3>{}</h3>", w.tables);
            for t in tables {
                draw_table(&mut out, t, &doc_id, &marks, lang);
            }
        }
        if !marks.spans.is_empty() {
            let _ = writeln!(out, "<h3>{}</h3>", w.sentences);
            for (block, spans) in &marks.spans {
                if let Some(Block::Paragraph(p)) = doc.blocks.get(*block) {
                    let _ = writeln!(
                        out,
                        "<blockquote id=\"{doc_id}-b{block}\"><small>{}</small><br>{}</blockquote>",
                        place(
                            &At::Text {
                                block: *block,
                                span: (0, 0),
                                origin: p.origin.clone()
                            },
                            lang
                        ),
                        marked_text(&p.text, spans)
                    );
                }
            }
        }
    }
    out.push_str("</section>\n");
    out
}

fn mark(
    marks: &mut Marks,
    doc: Option<&Document>,
    at: &At,
    stated: bool,
    id: &str,
    f: &Finding,
    lang: Lang,
) {
    match at {
        At::Cell {
            table, row, col, ..
        } => {
            let Some(doc) = doc else { return };
            let Some(t) = doc.tables().into_iter().find(|t| t.index == *table) else {
                return;
            };
            let Some(c) = t.cell_at(*row, *col) else {
                return;
            };
            let m = marks.cells.entry((*table, c.row, c.col)).or_default();
            m.stated |= stated;
            m.findings.insert(id.to_string());
            let w = words(lang);
            let note = match (&f.stated, &f.computed, &f.difference) {
                (_, Some(c), Some(d)) if stated => format!(
                    "{} {}: {} {c}, {} {d}",
                    f.code, f.rule, w.computed, w.difference
                ),
                _ => format!("{} {}", f.code, f.rule),
            };
            if stated {
                if let Some(d) = &f.difference {
                    m.notes.insert(format!("Δ {d}"));
                }
            }
            m.titles.insert(note);
        }
        At::Text { block, span, .. } => {
            let m = marks
                .spans
                .entry(*block)
                .or_default()
                .entry(*span)
                .or_default();
            m.0 |= stated;
            m.1.push(id.to_string());
        }
        At::Document => {}
    }
}

/// The paragraph's text with the marked character spans wrapped in `<mark>`.
fn marked_text(text: &str, spans: &Spans) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for (&(start, end), (stated, ids)) in spans {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if start < at || end <= start {
            continue;
        }
        out.push_str(&escape(&chars[at..start].iter().collect::<String>()));
        let class = if *stated { "hl-total" } else { "hl-part" };
        let _ = write!(
            out,
            "<mark class=\"{class}\" data-findings=\"{}\">{}</mark>",
            ids.join(" "),
            escape(&chars[start..end].iter().collect::<String>())
        );
        at = end;
    }
    out.push_str(&escape(&chars[at..].iter().collect::<String>()));
    out
}

fn draw_table(out: &mut String, t: &Table, doc_id: &str, marks: &Marks, lang: Lang) {
    let w = words(lang);
    let caption = match lang {
        Lang::Zh => format!(
            "第{}张{}（{}×{}）{}",
            t.index + 1,
            w.table,
            t.rows,
            t.cols,
            escape(&t.origin.to_string())
        ),
        Lang::En => format!(
            "{} {} ({}×{}) {}",
            w.table,
            t.index + 1,
            t.rows,
            t.cols,
            escape(&t.origin.to_string())
        ),
    };
    let name = t
        .name
        .as_deref()
        .map(|n| format!(" · {}", escape(n)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<figure class=\"doc-table\" id=\"{doc_id}-t{}\"><table><caption>{caption}{name}</caption>",
        t.index
    );
    let mut cells = t.cells.iter().peekable();
    for r in 0..t.rows {
        out.push_str("<tr>");
        while let Some(c) = cells.next_if(|c| c.row == r) {
            let id = format!("{doc_id}-t{}-r{}-c{}", t.index, c.row, c.col);
            let mut attrs = format!(" id=\"{id}\"");
            if c.row_span > 1 {
                let _ = write!(attrs, " rowspan=\"{}\"", c.row_span);
            }
            if c.col_span > 1 {
                let _ = write!(attrs, " colspan=\"{}\"", c.col_span);
            }
            let mut note = String::new();
            if let Some(m) = marks.cells.get(&(t.index, c.row, c.col)) {
                let ids: Vec<&str> = m.findings.iter().map(String::as_str).collect();
                let titles: Vec<&str> = m.titles.iter().map(String::as_str).collect();
                let _ = write!(
                    attrs,
                    " class=\"{}\" data-findings=\"{}\" title=\"{}\"",
                    if m.stated { "hl-total" } else { "hl-part" },
                    ids.join(" "),
                    escape(&titles.join("\n"))
                );
                for n in &m.notes {
                    let _ = write!(note, "<span class=\"diff\">{}</span>", escape(n));
                }
            }
            let text = escape(&c.text).replace('\n', "<br>");
            let _ = write!(out, "<td{attrs}>{text}{note}");
            for nested in &c.tables {
                draw_table(out, nested, doc_id, marks, lang);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></figure>\n");
}

fn overview(totals: &Totals, tally: &Tally, lang: Lang, linked: bool) -> String {
    let w = words(lang);
    let mut rows: Vec<&Row> = totals.rows.iter().collect();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = format!(
        "<section class=\"overview\" id=\"overview\">\n<h2>{}</h2>\n",
        w.overview
    );
    let [info, warning, error] = tally.findings;
    let _ = writeln!(
        out,
        "<p>{}: {} · {}: {error} · {}: {warning} · {}: {info} · {}: {} · {}: {}</p>",
        w.documents,
        tally.documents + tally.unchanged,
        w.severities[2],
        w.severities[1],
        w.severities[0],
        w.unreadable,
        tally.failed.len(),
        w.skipped,
        tally.skipped.len()
    );
    out.push_str(&chart(&totals.by_rule, lang));
    let _ = writeln!(
        out,
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        w.documents, w.document, w.family, w.severities[2], w.severities[1], w.severities[0]
    );
    for r in rows {
        let href = if linked {
            format!("{}.html", document_id(&r.path))
        } else {
            format!("#{}", document_id(&r.path))
        };
        let family = if r.failed {
            w.unreadable
        } else {
            r.family.as_deref().unwrap_or(w.generic)
        };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"{href}\">{}</a></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&r.path),
            escape(family),
            r.counts[2],
            r.counts[1],
            r.counts[0]
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(
        out,
        "<h3>{}</h3><table><tr><th>{}</th><th></th><th>{}</th><th>{}</th><th>{}</th></tr>",
        w.by_rule, w.rule, w.severities[2], w.severities[1], w.severities[0]
    );
    for (code, counts) in &totals.by_rule {
        let name = check::rules::find(code).map(|r| r.name).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td><code>{code}</code></td><td>{name}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            counts[2], counts[1], counts[0]
        );
    }
    out.push_str("</table>\n");
    for (heading, files) in [(w.unreadable, &tally.failed), (w.skipped, &tally.skipped)] {
        let _ = write!(out, "<h3>{heading} ({})</h3>", files.len());
        if files.is_empty() {
            let _ = write!(out, "<p>{}</p>", w.none);
            continue;
        }
        out.push_str("<ul>");
        for (path, reason) in files {
            let _ = write!(out, "<li>{}: {}</li>", escape(path), escape(reason));
        }
        out.push_str("</ul>");
    }
    out.push_str("\n</section>\n");
    out
}

/// Findings by rule as a horizontal bar chart, one bar a rule, stacked by severity.
fn chart(by_rule: &BTreeMap<&'static str, [usize; 3]>, lang: Lang) -> String {
    if by_rule.is_empty() {
        return String::new();
    }
    let w = words(lang);
    let most = by_rule
        .values()
        .map(|c| c.iter().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let (bar, gap, left, width) = (16, 6, 60, 420);
    let height = by_rule.len() * (bar + gap) + 24;
    let mut out = format!(
        "<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        w.by_rule,
        left + width + 60,
        left + width + 60
    );
    let colours = ["var(--info)", "var(--warn)", "var(--err)"];
    for (i, (code, counts)) in by_rule.iter().enumerate() {
        let y = i * (bar + gap);
        let _ = write!(out, "<text x=\"0\" y=\"{}\">{code}</text>", y + bar - 3);
        let mut x = left;
        for s in [2, 1, 0] {
            let len = counts[s] * width / most;
            if len > 0 {
                let _ = write!(
                    out,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{len}\" height=\"{bar}\" fill=\"{}\"><title>{code} {}: {}</title></rect>",
                    colours[s], w.severities[s], counts[s]
                );
            }
            x += len;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            x + 4,
            y + bar - 3,
            counts.iter().sum::<usize>()
        );
    }
    let y = by_rule.len() * (bar + gap) + 14;
    for (s, colour) in colours.iter().enumerate().rev() {
        let x = left + (2 - s) * 90;
        let _ = write!(out, "<rect x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{}</text>", y - 9, x + 14, y, w.severities[s]);
    }
    out.push_str("</svg>\n");
    out
}

/// Each rule's documentation, linked from its findings.
fn rules_appendix(lang: Lang) -> String {
    let w = words(lang);
    let mut out = format!("<section class=\"rules\"><h2>{}</h2>\n", w.rules);
    for r in check::registry() {
        let _ = writeln!(
            out,
            "<details id=\"rule-{}\"><summary><code>{}</code> {}</summary><pre>{}</pre></details>",
            r.code,
            r.code,
            r.name,
            escape(&r.doc(lang))
        );
    }
    out.push_str("</section>\n");
    out
}
