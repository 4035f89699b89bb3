//! A readable file that holds no report: not one figure and not one table.
//!
//! ## What it flags
//! A file that was read without error but in which jixiao found nothing to check: not one
//! figure in its text and not one table, whether or not its wording names a kind of report
//! (a cover letter that names the report it sends is still no report). The file gets this
//! one finding instead of passing as a clean report.
//!
//! ## Why it matters
//! A folder of archived reports also holds notes, exports and cover letters. A check that
//! passes them in silence tells an auditor they were checked and found correct; this
//! finding says they were never a report to begin with.
//!
//! ## Example
//! A `README.txt` saying "hello", a cover letter (关于报送…绩效自评报告的函), an empty Word
//! document: "not a report: no figures and no tables were found".
//!
//! ## 中文
//!
//! 文件可以读取，但其中没有报告：既没有一个数字，也没有一张表格。
//!
//! ### 检查内容
//! 文件读取无误，但 jixiao 在其中找不到任何可检查的内容：正文中没有一个数字，也没有
//! 一张表格；无论其文字是否提到某类报告（报送函即使写明了所报送报告的名称，本身也不是
//! 报告）。此类文件给出这一条发现，而不会被当作无问题的报告放行。
//!
//! ### 为何重要
//! 归档报告的文件夹里还存放着说明、导出文件和报送函。检查若对这些文件悄然放行，等于告诉
//! 审计人员它们已经检查且未发现问题；本条发现则指明，它们本来就不是报告。
//!
//! ### 示例
//! 内容为“hello”的 `README.txt`、报送函（关于报送…绩效自评报告的函）、空白 Word 文档：
//! “不是报告：未找到任何数字或表格”。

use crate::check::arithmetic::Context;
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::location::At;

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    if !x.tables.is_empty() || !x.figures.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        None,
        rule.say(settings.lang, &[]),
        At::Document,
        Vec::new(),
    )]
}
