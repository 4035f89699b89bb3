//! The shared vocabulary (`extractors/vocabulary.toml`): which headers and row labels play which
//! [`Role`], and the other words recognizers and checks look for — data, not code.
//!
//! Every stage asks here instead of comparing Chinese words itself: [`Roles::matches`] is the
//! one way a header or label is matched to a role (see [`normalize`] for what it ignores). A
//! family adds names to roles for its own documents ([`Roles::with`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

/// What a column or row holds, whatever a form calls it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An item's maximum score (分值, 权重).
    Points,
    /// The score given (得分, 自评得分).
    Score,
    /// The headline total score (总分, 综合得分).
    TotalScore,
    /// The grade given for the total (评价等次).
    Grade,
    /// A section's maximum in prose (满分).
    Maximum,
    /// How an item is scored (评分标准).
    Rubric,
    /// An indicator's target (年度指标值).
    Target,
    /// What was achieved (实际完成值).
    Actual,
    /// Why a target was missed (偏差原因).
    DeviationReason,
    /// The full-year, adjusted budget (全年预算数).
    Budget,
    /// Any other planned amount (年初预算数, 计划数).
    Planned,
    /// The amount spent or done (全年执行数).
    Executed,
    /// Executed over budget (执行率).
    Rate,
    /// A row of shares of a total (比例, 占比).
    Share,
    /// Counted figures, exact (个数, 人数).
    Count,
    /// Balance brought forward (年初结转和结余, 上年结转).
    OpeningBalance,
    /// An income column (财政拨款收入).
    Income,
    /// A spending column (财政拨款支出).
    Spending,
    /// Balance carried forward (年末结转和结余).
    ClosingBalance,
    /// Total income (收入合计).
    IncomeTotal,
    /// Total spending (支出合计).
    SpendingTotal,
    /// This year's income less spending (当年结转结余).
    BalanceOfYear,
}

/// `extractors/vocabulary.toml` as written.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VocabularyFile {
    /// Role → names (see the file's head for how a name matches).
    #[schemars(schema_with = "roles_schema")]
    pub roles: BTreeMap<Role, Vec<String>>,
    pub words: Words,
    pub entities: Entities,
    #[serde(rename = "grade_band")]
    pub grade_bands: Vec<GradeBand>,
    pub labels: Labels,
}

/// Word lists looked for anywhere in a text.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// A label or header holding one names a total (合计, 小计).
    pub total: Vec<String>,
    /// … unless it also holds one of these (占比).
    pub not_total: Vec<String>,
    /// Words between a subject and its figure (为, 达).
    pub copulas: Vec<String>,
    /// The leading words a figure's subject drops (其中, 全州, 落实) and its trailing ones
    /// (合计, 为), as words of the segmentation (`extract::subject_of`).
    pub subject_openers: Vec<String>,
    pub subject_closers: Vec<String>,
    /// Words before a score that award it in a criterion (计, 得).
    pub awards: Vec<String>,
    /// Headers whose figures have a measure of their own (分值, 率).
    pub own_measure: Vec<String>,
    /// A total row holding one of these is a subtotal (小计): it sums the rows whose labels
    /// start with the rest of its label, and is itself a part of a grand total.
    pub subtotal: Vec<String>,
    /// A total row holding one of these after another total row and the rows that add to it
    /// sums them all (总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余).
    pub grand_total: Vec<String>,
    /// A header or row label that is only one of these heads a group of parts (其中).
    pub group: Vec<String>,
    /// A header ending with one of these heads the columns that split the figure of the column
    /// left of it, as a 其中 does (…实际使用方向).
    pub breakdown: Vec<String>,
    /// A note saying a standard table is empty on purpose holds one of these (names matched as
    /// roles' are: `无*安排*`).
    pub empty_table: Vec<String>,
    /// A cell holding one of these, with a value right of it, names the table's project
    /// (项目名称).
    pub project_name: Vec<String>,
    /// A column whose header holds one of these numbers the rows, so is not a figure (序号).
    pub serial: Vec<String>,
    /// A table's last row labelled only with one of these sums its whole table: the same
    /// columns of the regions above it too (附件1's 总分 = 年度资金总额 + the indicators).
    pub closing_total: Vec<String>,
    /// A column headed only with one of these does not say what its figures count (金额).
    pub amount_only: Vec<String>,
    /// A figure in running text led by one of these is a change against another year
    /// (比上年增加), not a part of a total.
    pub change: Vec<String>,
    /// A sentence's score led by one of these (or a total-score name) states the report's
    /// total score (评价得分), unless its words hold one of `indicator` (指标) or a section's name.
    pub overall_score: Vec<String>,
    pub indicator: Vec<String>,
    /// A figure led by one of these, followed after a comma by one led by a total word, adds to
    /// the figure before it (…新增7.42万人，合计76.52万人).
    pub added: Vec<String>,
    /// A count led by one of these after a count of the same things says how many are done (已完工):
    /// at most that count, unless the first count's words hold one of `target` (目标, 计划).
    pub progress: Vec<String>,
    pub target: Vec<String>,
    /// A title ending with one of these (a bracketed unit aside) names a table (自评表): its
    /// years are the table's.
    pub table_title: Vec<String>,
    /// A 偏差原因 holding one of these says the target was missed (未完成, 未达到).
    pub missed: Vec<String>,
    /// A rate whose name holds one of these is of funds (资金执行率), and restates a funds
    /// table's rate (JX401).
    pub funds: Vec<String>,
    /// Words that deny the word after them (无, 没有, 不存在).
    pub negations: Vec<String>,
    /// A percentage led by one of these is a share of a total (占).
    pub share_of: Vec<String>,
    /// The end of what a share is of (的 in 占“三公”经费的).
    pub possessive: Vec<String>,
    /// Measure words that count things of any kind (处, 座, 个): parts in one add up to a total
    /// in another.
    pub item_measures: Vec<String>,
    /// The words that say a change goes up (增加, 增长) or down (减少, 下降), and that the
    /// change is against last year (上年, 去年): a year-on-year statement (JX202).
    pub increase: Vec<String>,
    pub decrease: Vec<String>,
    pub previous_year: Vec<String>,
    /// Pairs of units a report confuses, a count and a count of visits (人 and 人次): one
    /// subject given the same number in each, in two paragraphs, is a slip (JX405).
    pub unit_slips: Vec<[String; 2]>,
}

impl Words {
    /// Whether `text` (a row label) holds a subtotal word.
    /// A header that heads the columns splitting its left neighbour's figure (…使用方向).
    pub fn is_breakdown(&self, header: &str) -> bool {
        let header = normalize(header);
        self.breakdown.iter().any(|w| header.ends_with(w.as_str()))
    }

    /// A header whose figures have a measure of their own (分值, 执行率, 个数).
    pub fn has_own_measure(&self, header: &str) -> bool {
        self.own_measure.iter().any(|w| header.contains(w.as_str()))
    }

    /// A header of a column that numbers the rows (序号).
    pub fn is_serial(&self, header: &str) -> bool {
        self.serial.iter().any(|w| header.contains(w.as_str()))
    }

    /// Whether a 偏差原因 says the target was missed: it holds a `missed` word not right after a
    /// `negations` word (无未完成事项 says nothing was missed).
    pub fn says_missed(&self, reason: &str) -> bool {
        self.missed.iter().any(|w| {
            reason.match_indices(w.as_str()).any(|(at, _)| {
                let before = &reason[..at];
                !self.negations.iter().any(|n| before.ends_with(n.as_str()))
            })
        })
    }

    /// Whether a total row's label names the grand total over another total (总计).
    pub fn is_grand_total(&self, text: &str) -> bool {
        self.grand_total.iter().any(|w| text.contains(w.as_str()))
    }

    pub fn is_subtotal(&self, text: &str) -> bool {
        self.subtotal.iter().any(|w| text.contains(w.as_str()))
    }

    /// `text` without its subtotal words: the name of the rows a subtotal sums.
    pub fn without_subtotal(&self, text: &str) -> String {
        self.subtotal
            .iter()
            .fold(text.to_string(), |t, w| t.replace(w.as_str(), ""))
    }

    /// Whether `text`, normalized, is one of `words`.
    pub fn is_only(words: &[String], text: &str) -> bool {
        let t = normalize(text);
        words.iter().any(|w| *w == t)
    }
}

/// How a row label is reduced to the place or body it names.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entities {
    /// Words removed anywhere (小计).
    pub drop: Vec<String>,
    /// Endings removed (市).
    pub trim_end: Vec<String>,
    /// Whole labels that name the same entity as another (省本级 → 省).
    pub same: BTreeMap<String, String>,
}

/// One grade: the lowest total score that earns it and the words that state it.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    pub grade: String,
    #[schemars(schema_with = "crate::decimal::setting_schema")]
    pub from: Decimal,
    pub words: Vec<String>,
}

/// Labels of computed figures, as findings name them.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The sum of a form's section maxima (满分合计 100).
    pub all_maxima: String,
    /// Appended to a total row's label for the sum of its columns' totals.
    pub column_totals: String,
    /// The sum of a list's figures whose shares make up the whole (所列各项合计).
    pub listed_total: String,
}

/// The vocabulary, loaded.
#[derive(Debug)]
pub struct Vocabulary {
    pub roles: Roles,
    pub words: Words,
    pub entities: Entities,
    pub grade_bands: Vec<GradeBand>,
    pub labels: Labels,
}

/// Names of each role, ready to match.
#[derive(Debug, Clone, Default)]
pub struct Roles(BTreeMap<Role, Names>);

/// The names of one role, or of one column a family names: what [`Names::matches`] accepts.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// As written, the first one naming the role in findings.
    written: Vec<String>,
    /// Each name cut at its `*`s, normalized.
    patterns: Vec<Vec<String>>,
    /// Words that keep a text from matching (`!其中`).
    unless: Vec<String>,
    /// For each name, a character a text that matches it holds (the last of its last
    /// words: normalizing only removes characters); `None` when a name is all `*`.
    required: Option<Vec<char>>,
}

const BUILT_IN: &str = include_str!("../extractors/vocabulary.toml");

/// The built-in vocabulary, parsed once (a test parses it, so it cannot fail here).
pub fn common() -> &'static Vocabulary {
    static COMMON: OnceLock<Vocabulary> = OnceLock::new();
    COMMON.get_or_init(|| {
        parse("extractors/vocabulary.toml", BUILT_IN)
            .expect("the built-in vocabulary parses (tested)")
    })
}

/// The JSON Schema of a `[roles]` table: roles as keys, each with a list of names.
pub fn roles_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let role = generator.subschema_for::<Role>();
    schemars::json_schema!({
        "type": "object",
        "propertyNames": role,
        "additionalProperties": { "type": "array", "items": { "type": "string" } }
    })
}

/// The JSON Schema of a vocabulary file (`docs/vocabulary.schema.json`).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(VocabularyFile)
}

/// Parses a vocabulary file; `name` is the file named in errors.
pub fn parse(name: &str, text: &str) -> Result<Vocabulary, String> {
    let file: VocabularyFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    Ok(Vocabulary {
        roles: Roles::default().with(&file.roles),
        words: file.words,
        entities: file.entities,
        grade_bands: file.grade_bands,
        labels: file.labels,
    })
}

impl Roles {
    /// These roles with more names (a family's additions) after their own.
    pub fn with(&self, more: &BTreeMap<Role, Vec<String>>) -> Roles {
        let mut roles = self.clone();
        for (role, names) in more {
            let entry = roles.0.entry(*role).or_default();
            for name in names {
                entry.add(name);
            }
        }
        roles
    }

    /// Whether `text` (a header or a row label) names `role`.
    pub fn matches(&self, role: Role, text: &str) -> bool {
        self.0.get(&role).is_some_and(|n| n.matches(text))
    }

    /// As [`Roles::matches`], for a text already [`normalize`]d.
    pub fn matches_normalized(&self, role: Role, text: &str) -> bool {
        self.0
            .get(&role)
            .is_some_and(|n| n.matches_normalized(text))
    }

    /// The names of `role`.
    pub fn names(&self, role: Role) -> Option<&Names> {
        self.0.get(&role)
    }

    /// How findings name a figure of `role`: its first name as written.
    pub fn label(&self, role: Role) -> &str {
        self.0
            .get(&role)
            .and_then(|n| n.written.first())
            .map_or("", String::as_str)
    }
}

impl Names {
    /// Names as written in a vocabulary or family file.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a String>) -> Names {
        let mut out = Names::default();
        for name in names {
            out.add(name);
        }
        out
    }

    /// The role's names as written.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// Whether `text` (a header or label, normalized here) matches one of the names.
    pub fn matches(&self, text: &str) -> bool {
        self.may_match(text) && self.matches_pattern(&normalize(text))
    }

    /// As [`Names::matches`], for a text already [`normalize`]d.
    pub fn matches_normalized(&self, text: &str) -> bool {
        self.may_match(text) && self.matches_pattern(text)
    }

    /// Whether `text` holds a character every match must hold: most texts (figures, other
    /// labels) do not, and are turned away before being normalized.
    fn may_match(&self, text: &str) -> bool {
        self.required
            .as_ref()
            .is_none_or(|chars| text.contains(chars.as_slice()))
    }

    fn add(&mut self, name: &str) {
        self.written.push(name.to_string());
        match name.strip_prefix('!') {
            Some(word) => self.unless.push(normalize(word).into_owned()),
            None => {
                let pieces: Vec<String> =
                    name.split('*').map(|p| normalize(p).into_owned()).collect();
                // One name without a required character (all `*`) lets every text through.
                let last = pieces.iter().rev().find_map(|p| p.chars().next_back());
                let earlier = if self.patterns.is_empty() {
                    Some(Vec::new())
                } else {
                    self.required.take()
                };
                self.required = earlier.zip(last).map(|(mut chars, c)| {
                    chars.push(c);
                    chars
                });
                self.patterns.push(pieces);
            }
        }
    }

    fn matches_pattern(&self, text: &str) -> bool {
        !self.unless.iter().any(|u| text.contains(u.as_str()))
            && self.patterns.iter().any(|p| ends_with_pattern(text, p))
    }
}

/// Whether `text` ends with a match of `pieces` (a name cut at its `*`s): the last piece ends
/// the text and the others stand before it in order. A name ending in `*` has an empty last
/// piece, so it may stand anywhere.
fn ends_with_pattern(text: &str, pieces: &[String]) -> bool {
    let Some((last, before)) = pieces.split_last() else {
        return false;
    };
    let Some(mut rest) = text.strip_suffix(last.as_str()) else {
        return false;
    };
    for piece in before {
        match rest.find(piece.as_str()) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// A header or label as roles are matched against it: white space removed, full-width brackets
/// and colons half-width, bracketed annotations dropped (`分值（分）`, `执行率(B/A)`,
/// `金额（万元）`), a trailing colon cut. Text that is only an annotation keeps it.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let plain = |c: char| !c.is_whitespace() && !matches!(c, '（' | '）' | '：' | '(' | ')' | ':');
    if text.chars().all(plain) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() => {}
            _ if depth > 0 => {}
            '：' => out.push(':'),
            c => out.push(c),
        }
    }
    let trimmed = out.trim_end_matches(':');
    if trimmed.is_empty() {
        return Cow::Owned(text.split_whitespace().collect());
    }
    Cow::Owned(trimmed.to_string())
}

impl Vocabulary {
    /// The grade a stated grade (`优秀`, `“良”`, `不合格`) stands for: the band with the
    /// longest word the text starts with.
    pub fn grade_of(&self, stated: &str) -> Option<&str> {
        let g = stated.trim().trim_matches(['“', '”', '"']);
        self.grade_bands
            .iter()
            .flat_map(|b| b.words.iter().map(move |w| (b, w)))
            .filter(|(_, w)| g.starts_with(w.as_str()))
            .max_by_key(|(_, w)| w.len())
            .map(|(b, _)| b.grade.as_str())
    }

    /// A row label reduced to the entity it names (`长沙市小计` → `长沙`, `省本级` → `省`).
    pub fn entity(&self, label: &str) -> String {
        let mut l = label.to_string();
        for word in &self.entities.drop {
            l = l.replace(word.as_str(), "");
        }
        if let Some(same) = self.entities.same.get(&l) {
            l = same.clone();
        }
        for end in &self.entities.trim_end {
            while let Some(rest) = l.strip_suffix(end.as_str()) {
                l.truncate(rest.len());
            }
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick test that turns most texts away never turns away one that matches: every
    /// role agrees with matching the normalized text, on texts with brackets, unclosed
    /// brackets, colons and spaces where the last character is or is not the match's.
    #[test]
    fn the_quick_test_never_turns_away_a_match() {
        let texts = [
            "得分（说明",
            "（分值）",
            "分值）",
            "分 值 ：",
            "合计:",
            "年末结转和结余",
            "自评得分(分)",
            "得分：99.5",
            "执行率（B/A）",
            "（%）执行率",
            "全年预算数（A）（万元）",
            "支出（其中）",
            "其中：项目支出",
            "1,234.00",
            "",
            "：",
        ];
        for (role, names) in &common().roles.0 {
            for text in texts {
                assert_eq!(
                    names.matches(text),
                    names.matches_pattern(&normalize(text)),
                    "{role:?} on {text:?}"
                );
            }
        }
    }

    #[test]
    fn the_built_in_vocabulary_parses() {
        parse("extractors/vocabulary.toml", BUILT_IN).unwrap();
    }

    #[test]
    fn unknown_roles_and_keys_are_errors_that_name_the_file_and_the_allowed_values() {
        let e = parse("v.toml", &BUILT_IN.replace("\npoints =", "\npionts =")).unwrap_err();
        assert!(e.starts_with("v.toml: ") && e.contains("pionts"), "{e}");
        assert!(e.contains("points") && e.contains("line 16"), "{e}");
        let e = parse("v.toml", &format!("{BUILT_IN}\n[colours]\n")).unwrap_err();
        assert!(e.contains("colours"), "{e}");
    }

    /// The header wordings of issue 15 for each role, and near misses.
    #[test]
    fn roles_match_the_wordings_forms_use() {
        let roles = &common().roles;
        let cases: &[(Role, &[&str], &[&str])] = &[
            (
                Role::Points,
                &[
                    "分值",
                    "分值（分）",
                    "分 值",
                    "权重",
                    "满分",
                    "标准分",
                    "分值(分)",
                ],
                &["分值说明", "得分"],
            ),
            (
                Role::Score,
                &[
                    "自评得分",
                    "得分",
                    "评分",
                    "得分（分）",
                    "得 分",
                    "评价得分",
                ],
                &["评分标准", "分值"],
            ),
            (
                Role::Target,
                &[
                    "年度指标值",
                    "指标值",
                    "年度目标值",
                    "目标值",
                    "年度指标值（A）",
                ],
                &["三级指标"],
            ),
            (
                Role::Actual,
                &[
                    "实际完成值",
                    "完成值",
                    "实际值",
                    "全年实际完成值",
                    "实际完成值（B）",
                ],
                &["完成情况"],
            ),
            (
                Role::Budget,
                &["全年预算数（A）", "全年预算数", "调整后预算数"],
                &["年初预算数"],
            ),
            (
                Role::Executed,
                &["全年执行数（B）", "实际支出数", "1-7月执行数"],
                &["执行率"],
            ),
            (
                Role::Rate,
                &["执行率（B/A）", "预算执行率", "执行率（%）", "执行率"],
                &["执行数"],
            ),
            (
                Role::DeviationReason,
                &["偏差原因", "偏差原因分析及改进措施"],
                &["原因"],
            ),
            (
                Role::OpeningBalance,
                &["年初结转和结余", "上年结转", "年初财政拨款结转和结余"],
                &["年末结转和结余", "结转上年"],
            ),
            (
                Role::Spending,
                &["财政拨款支出", "项目支出"],
                &["其中基本支出"],
            ),
        ];
        for (role, yes, no) in cases {
            for text in *yes {
                assert!(roles.matches(*role, text), "{role:?} should match {text}");
            }
            for text in *no {
                assert!(
                    !roles.matches(*role, text),
                    "{role:?} should not match {text}"
                );
            }
        }
    }

    #[test]
    fn normalizing_drops_annotations_and_keeps_a_text_that_is_only_one() {
        assert_eq!(normalize("执行率（B/A）"), "执行率");
        assert_eq!(normalize("金额（万元）："), "金额");
        assert_eq!(normalize("因公出国（境）费"), "因公出国费");
        assert_eq!(normalize("其中："), "其中");
        assert_eq!(normalize("（A）"), "（A）");
        assert!(matches!(normalize("分值"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_family_adds_names_after_the_common_ones() {
        let more = BTreeMap::from([(Role::Points, vec!["加权分".to_string()])]);
        let roles = common().roles.with(&more);
        assert!(roles.matches(Role::Points, "加权分（分）"));
        assert!(!common().roles.matches(Role::Points, "加权分"));
        assert_eq!(roles.label(Role::Points), "分值");
    }

    #[test]
    fn grades_and_entities_are_read_from_the_vocabulary() {
        let v = common();
        let grades: Vec<_> = ["优秀", "“良”", "合格", "不合格", "差", "甲"]
            .iter()
            .map(|g| v.grade_of(g))
            .collect();
        assert_eq!(
            grades,
            [
                Some("优"),
                Some("良"),
                Some("中"),
                Some("差"),
                Some("差"),
                None
            ]
        );
        assert_eq!(v.entity("长沙市小计"), "长沙");
        assert_eq!(v.entity("省本级"), "省");
        assert_eq!(v.entity("全省合计"), "合计");
    }
}
