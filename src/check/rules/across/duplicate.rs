//! Two files of the batch have exactly the same content.
//!
//! ## What it flags
//! Every document whose bytes (SHA-256) are identical to another file's in the same batch.
//! All files stay in the output as separate records; each is marked with one other path of
//! its group (the first, or for the first the second) and the size of the group, so neither
//! is silently dropped and a group of n copies gives n findings, not n².
//!
//! ## Why it matters
//! Archives collect the same report under several names (a download saved twice, an
//! attachment filed under two projects). Counting it twice inflates totals and statistics;
//! dropping one silently loses a path someone will look for.
//!
//! ## Example
//! `2021/湘西乡村振兴局.docx` and `inbox/附件1.docx` with the same SHA-256: each gets an info
//! finding naming the other path ("same content as inbox/附件1.docx").
//!
//! ## 中文
//!
//! 批次中有两个文件内容完全相同。
//!
//! ### 检查内容
//! 与同一批次中另一文件字节完全相同（SHA-256 相同）的每一份文档。所有文件仍作为各自
//! 独立的记录保留在输出中；每份文件注明其所在组中另一文件的路径（注明组内第一个文件，
//! 第一个文件则注明第二个）以及该组的文件数，因此不会有文件被悄然剔除，n 份副本的组
//! 产生 n 条发现，而非 n² 条。
//!
//! ### 为何重要
//! 档案中常以不同名称收存同一份报告（下载后保存了两次，或同一附件归入两个项目）。重复
//! 计数会虚增合计和统计数；悄然剔除其中一份，又会丢失日后有人要查找的路径。
//!
//! ### 示例
//! `2021/湘西乡村振兴局.docx` 与 `inbox/附件1.docx` 的 SHA-256 相同：二者各得一条提示，
//! 注明另一文件的路径（“与inbox/附件1.docx内容相同”）。

use std::collections::HashMap;

use crate::check::rules::BatchFindings;
use crate::check::{Finding, Involved, Ledgers, Rule, Settings};
use crate::location::At;

/// Per content hash: the first two documents that have it and how many do.
struct Group {
    first: usize,
    second: Option<usize>,
    size: usize,
}

pub fn check<'l>(
    rule: &'l Rule,
    ledgers: &'l Ledgers,
    settings: &'l Settings,
) -> BatchFindings<'l> {
    let mut groups: HashMap<[u8; 32], Group> = HashMap::new();
    for (i, key) in ledgers.keys().iter().enumerate() {
        let Some(sha256) = key.sha256 else {
            continue;
        };
        let g = groups.entry(sha256).or_insert(Group {
            first: i,
            second: None,
            size: 0,
        });
        g.size += 1;
        if g.size == 2 {
            g.second = Some(i);
        }
    }
    Box::new(move |i| {
        let Some(group) = ledgers.keys()[i].sha256.and_then(|s| groups.get(&s)) else {
            return Ok(Vec::new());
        };
        let Some(second) = group.second else {
            return Ok(Vec::new());
        };
        let other = ledgers.get(if i == group.first {
            second
        } else {
            group.first
        })?;
        let message = if group.size > 2 {
            rule.say_part(
                settings.lang,
                "more",
                &[("other", &other.path), ("n", &(group.size - 2))],
            )
        } else {
            rule.say(settings.lang, &[("other", &other.path)])
        };
        let involved = vec![Involved {
            role: "duplicate",
            label: "SHA-256".into(),
            raw: other.sha256.clone(),
            at: At::Document,
            document: Some(other.path.clone()),
        }];
        Ok(vec![Finding::new(None, message, At::Document, involved)])
    })
}
