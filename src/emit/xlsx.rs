//! `check --output-format xlsx --out FILE`: the findings as an Excel workbook for auditors who
//! filter and annotate in Excel — a sheet of findings with their places, one of documents with
//! their counts, and one of the files that were unreadable or skipped. Figures are written as
//! text, exactly as stated, so that Excel never rounds them.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::Report;
use crate::batch::{self, Delivery, Options, Tally};
use crate::extract::family::NO_FAMILY;
use crate::lang::Lang;

/// One row of a sheet.
type Row = Vec<String>;

/// The rows a report adds: findings, and its line on the documents sheet (if a document).
fn rows(report: &Report, lang: Lang) -> (Vec<Row>, Option<Row>) {
    let path = report.path();
    let findings = report
        .findings()
        .iter()
        .map(|f| {
            vec![
                path.to_string(),
                f.code.to_string(),
                f.rule.to_string(),
                f.severity.name().to_string(),
                f.class
                    .and_then(|c| serde_json::to_value(c).ok())
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                f.message.clone(),
                f.stated.clone().unwrap_or_default(),
                f.computed.clone().unwrap_or_default(),
                f.difference.clone().unwrap_or_default(),
                f.at.describe(lang),
                f.at.logical(),
                f.fingerprint.clone(),
            ]
        })
        .collect();
    let document = match report {
        Report::Checked(x, _) => {
            let mut counts = [0usize; 3];
            for f in &x.findings {
                counts[f.severity as usize] += 1;
            }
            Some(vec![
                path.to_string(),
                x.source.format.name().to_string(),
                x.family.clone().unwrap_or_else(|| NO_FAMILY.to_string()),
                x.meta.title.clone().unwrap_or_default(),
                x.meta.department.clone().unwrap_or_default(),
                x.meta.year.map(|y| y.to_string()).unwrap_or_default(),
                counts[2].to_string(),
                counts[1].to_string(),
                counts[0].to_string(),
            ])
        }
        _ => None,
    };
    (findings, document)
}

fn headers(lang: Lang) -> [&'static [&'static str]; 3] {
    match lang {
        Lang::Zh => [
            &[
                "文档",
                "规则",
                "规则名",
                "严重程度",
                "类别",
                "问题",
                "填报",
                "计算",
                "差额",
                "位置",
                "逻辑位置",
                "指纹",
            ],
            &[
                "文档", "格式", "类型", "标题", "单位", "年度", "错误", "警告", "提示",
            ],
            &["文件", "情况", "原因"],
        ],
        Lang::En => [
            &[
                "document",
                "code",
                "rule",
                "severity",
                "class",
                "message",
                "stated",
                "computed",
                "difference",
                "place",
                "logical place",
                "fingerprint",
            ],
            &[
                "document",
                "format",
                "family",
                "title",
                "department",
                "year",
                "errors",
                "warnings",
                "info",
            ],
            &["file", "status", "reason"],
        ],
    }
}

fn sheet(
    workbook: &mut Workbook,
    name: &str,
    header: &[&str],
    rows: &[Row],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let ws: &mut Worksheet = workbook.add_worksheet();
    ws.set_name(name)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !rows.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
    }
    Ok(())
}

/// Runs the batch and writes the workbook to `file`. Returns the batch's tally.
pub fn write(
    file: &Path,
    lang: Lang,
    paths: &[std::path::PathBuf],
    options: &Options<'_>,
) -> std::io::Result<Tally> {
    let (mut findings, mut documents) = (Vec::new(), Vec::new());
    let tally = batch::run(paths, options, &|r| rows(r, lang), &mut |delivery| {
        if let Delivery::Next((f, d)) = delivery {
            findings.extend(f);
            documents.extend(d);
        }
        Ok(())
    })?;
    let (unreadable, skipped) = match lang {
        Lang::Zh => ("无法读取", "跳过"),
        Lang::En => ("unreadable", "skipped"),
    };
    let files: Vec<Row> = tally
        .failed
        .iter()
        .map(|(p, e)| vec![p.clone(), unreadable.to_string(), e.clone()])
        .chain(
            tally
                .skipped
                .iter()
                .map(|(p, r)| vec![p.clone(), skipped.to_string(), r.clone()]),
        )
        .collect();
    let [finding_header, document_header, file_header] = headers(lang);
    let names = match lang {
        Lang::Zh => ["发现的问题", "文档", "未检查的文件"],
        Lang::En => ["findings", "documents", "files not checked"],
    };
    let mut workbook = Workbook::new();
    let written = sheet(&mut workbook, names[0], finding_header, &findings)
        .and_then(|_| sheet(&mut workbook, names[1], document_header, &documents))
        .and_then(|_| sheet(&mut workbook, names[2], file_header, &files))
        .and_then(|_| workbook.save(file));
    written.map_err(|e| std::io::Error::other(format!("{}: {e}", file.display())))?;
    Ok(tally)
}
