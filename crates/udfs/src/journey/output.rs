//! What each profile aggregate returns, as Arrow struct columns.

use crate::args::ts_type;
use arrow::array::{
    ArrayRef, Float64Builder, Int64Builder, ListArray, StringBuilder, StructArray,
    TimestampMicrosecondBuilder,
};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::Result;
use leadlake_funnel::stage::Stage;
use leadlake_funnel::{Funnel, JourneySummary, score, stage, tiers};
use std::sync::Arc;

/// A company's stage as of each step, oldest first (`stage_timeline`).
pub(crate) type Timeline = Vec<(i64, Stage)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Output {
    Tiers,
    Stage,
    Score,
    Installs,
    /// Distinct days, machines and versions of the journey's events.
    Activity,
    /// All five, as fields `stage`, `score`, `tiers`, `installs`,
    /// `activity`.
    Journey,
    /// The stage as of each step: `stage_timeline`'s list.
    Timeline,
    /// `Journey`'s five and `timeline`: `company_journey` given a step.
    JourneyTimeline,
}

/// The parts of `Output::Journey`, with their field names.
const PARTS: [(&str, Output); 5] = [
    ("stage", Output::Stage),
    ("score", Output::Score),
    ("tiers", Output::Tiers),
    ("installs", Output::Installs),
    ("activity", Output::Activity),
];

const ACTIVITY: [&str; 3] = ["active_days", "machines", "versions"];

const COMPONENTS: [&str; 6] = [
    "call_home",
    "downloads",
    "pages",
    "sustained",
    "sources",
    "upgrades",
];

fn utf8_fields(names: &[&str]) -> Fields {
    names
        .iter()
        .map(|n| Field::new(*n, DataType::Utf8, true))
        .collect()
}

fn component_fields() -> Fields {
    COMPONENTS
        .iter()
        .map(|n| Field::new(*n, DataType::Float64, true))
        .collect()
}

fn strings(rows: impl Iterator<Item = Option<[&'static str; 3]>>) -> Vec<ArrayRef> {
    let mut b: Vec<StringBuilder> = (0..3).map(|_| StringBuilder::new()).collect();
    for texts in rows {
        match texts {
            Some(t) => b.iter_mut().zip(t).for_each(|(b, v)| b.append_value(v)),
            None => b.iter_mut().for_each(StringBuilder::append_null),
        }
    }
    b.into_iter()
        .map(|mut b| Arc::new(b.finish()) as ArrayRef)
        .collect()
}

/// The name of `Output::JourneyTimeline`'s timeline field.
const TIMELINE: &str = "timeline";

fn timeline_entry_fields() -> Fields {
    Fields::from(vec![
        Field::new("as_of", ts_type(), false),
        Field::new("stage", DataType::Utf8, false),
    ])
}

fn timeline_item() -> Arc<Field> {
    Arc::new(Field::new_list_field(
        DataType::Struct(timeline_entry_fields()),
        true,
    ))
}

/// One list of {as_of, stage} per group; NULL for an empty timeline (a
/// group without counted events), as `journey_stage` gives NULL.
pub(crate) fn timeline_array(timelines: &[Timeline]) -> Result<ArrayRef> {
    let total = timelines.iter().map(Vec::len).sum();
    let mut at = TimestampMicrosecondBuilder::with_capacity(total).with_timezone("UTC");
    let mut names = StringBuilder::with_capacity(total, total * 8);
    for (t, s) in timelines.iter().flatten() {
        at.append_value(*t);
        names.append_value(s.as_str());
    }
    let entries = StructArray::try_new(
        timeline_entry_fields(),
        vec![Arc::new(at.finish()) as ArrayRef, Arc::new(names.finish())],
        None,
    )?;
    let valid = NullBuffer::from(timelines.iter().map(|t| !t.is_empty()).collect::<Vec<_>>());
    Ok(Arc::new(ListArray::try_new(
        timeline_item(),
        OffsetBuffer::from_lengths(timelines.iter().map(Vec::len)),
        Arc::new(entries),
        Some(valid),
    )?))
}

impl Output {
    /// What a call with `args` arguments returns: `company_journey` with
    /// a step (its eighth argument) adds the timeline.
    pub(crate) fn for_args(self, args: usize) -> Output {
        match self {
            Output::Journey if args >= 8 => Output::JourneyTimeline,
            other => other,
        }
    }

    /// Where a call's `package` argument is (0-based): after the step for
    /// `stage_timeline`, before it for `company_journey`.
    pub(crate) fn package_arg(self) -> usize {
        match self {
            Output::Timeline => 7,
            _ => 6,
        }
    }

    /// Where a call's `step` argument is (0-based), for an output with a
    /// timeline.
    pub(crate) fn step_arg(self) -> usize {
        match self {
            Output::Timeline => 6,
            _ => 7,
        }
    }

    /// Whether this output reads the journey's summary (all but the bare
    /// timeline).
    pub(crate) fn wants_summary(self) -> bool {
        self != Output::Timeline
    }

    /// Whether building this output needs each group's timeline.
    pub(crate) fn wants_timeline(self) -> bool {
        matches!(self, Output::Timeline | Output::JourneyTimeline)
    }

    /// The field of this output that holds `part`, when this output is
    /// made of parts (`Journey`; `Timeline` is in the form given a step):
    /// the fuse rule projects it back under that name.
    pub(crate) fn field_for(self, part: Output) -> Option<&'static str> {
        match (self, part) {
            (Output::Journey | Output::JourneyTimeline, Output::Timeline) => Some(TIMELINE),
            (Output::Journey | Output::JourneyTimeline, part) => PARTS
                .iter()
                .find(|(_, p)| *p == part)
                .map(|(name, _)| *name),
            _ => None,
        }
    }

    fn fields(self) -> Fields {
        match self {
            Output::Tiers => utf8_fields(&["downloads", "docs", "web"]),
            Output::Stage => utf8_fields(&["stage", "rule", "action"]),
            Output::Score => Fields::from(vec![
                Field::new("score", DataType::Int64, true),
                Field::new("components", DataType::Struct(component_fields()), true),
            ]),
            Output::Installs => Fields::from(vec![
                Field::new("last7", DataType::Int64, true),
                Field::new("last30", DataType::Int64, true),
            ]),
            Output::Activity => ACTIVITY
                .iter()
                .map(|n| Field::new(*n, DataType::Int64, true))
                .collect(),
            Output::Journey => PARTS
                .iter()
                .map(|(name, part)| Field::new(*name, part.return_type(), true))
                .collect(),
            Output::JourneyTimeline => {
                let mut fields: Vec<Field> = Output::Journey
                    .fields()
                    .iter()
                    .map(|f| f.as_ref().clone())
                    .collect();
                fields.push(Field::new(TIMELINE, Output::Timeline.return_type(), true));
                Fields::from(fields)
            }
            Output::Timeline => timeline_entry_fields(),
        }
    }

    pub(crate) fn return_type(self) -> DataType {
        match self {
            Output::Timeline => DataType::List(timeline_item()),
            other => DataType::Struct(other.fields()),
        }
    }

    /// One row per group from its facts (`None`: no counted events, a
    /// NULL row) and, when the output [wants](Self::wants_timeline) them,
    /// its timeline (else `timelines` is empty).
    pub(crate) fn build(
        self,
        funnel: &Funnel,
        facts: &[Option<JourneySummary>],
        timelines: &[Timeline],
    ) -> Result<ArrayRef> {
        let n = facts.len();
        let valid: Vec<bool> = facts.iter().map(Option::is_some).collect();
        let columns: Vec<ArrayRef> = match self {
            Output::Tiers => strings(facts.iter().map(|x| {
                x.as_ref().map(|x| {
                    let t = tiers::tiers(funnel, x);
                    [t.downloads, t.docs, t.web].map(|x| x.as_str())
                })
            })),
            Output::Stage => {
                let stages: Vec<Option<stage::StageResult>> = facts
                    .iter()
                    .map(|x| x.as_ref().map(|x| stage::stage(funnel, x)))
                    .collect();
                let mut b: Vec<StringBuilder> = (0..3)
                    .map(|_| StringBuilder::with_capacity(n, n * 16))
                    .collect();
                for s in &stages {
                    match s {
                        Some(s) => {
                            b[0].append_value(s.stage.as_str());
                            b[1].append_value(&s.rule);
                            b[2].append_value(&s.action);
                        }
                        None => b.iter_mut().for_each(StringBuilder::append_null),
                    }
                }
                b.into_iter()
                    .map(|mut b| Arc::new(b.finish()) as ArrayRef)
                    .collect()
            }
            Output::Score => {
                let mut score = Int64Builder::with_capacity(n);
                let mut parts: Vec<Float64Builder> =
                    (0..6).map(|_| Float64Builder::with_capacity(n)).collect();
                for x in facts {
                    match x.as_ref().map(|x| score::score(funnel, x)) {
                        Some(s) => {
                            score.append_value(i64::from(s.score));
                            let v = [
                                s.call_home,
                                s.downloads,
                                s.pages,
                                s.sustained,
                                s.sources,
                                s.upgrades,
                            ];
                            parts.iter_mut().zip(v).for_each(|(b, v)| b.append_value(v));
                        }
                        None => {
                            score.append_null();
                            parts.iter_mut().for_each(Float64Builder::append_null);
                        }
                    }
                }
                let nulls = Some(NullBuffer::from(valid.clone()));
                let parts: Vec<ArrayRef> = parts
                    .into_iter()
                    .map(|mut b| Arc::new(b.finish()) as ArrayRef)
                    .collect();
                let components = StructArray::try_new(component_fields(), parts, nulls)?;
                vec![Arc::new(score.finish()), Arc::new(components)]
            }
            Output::Installs => {
                let mut b: Vec<Int64Builder> =
                    (0..2).map(|_| Int64Builder::with_capacity(n)).collect();
                for x in facts {
                    match x.as_ref().map(|x| (x.installs_last7, x.installs_last30)) {
                        Some((d7, d30)) => {
                            b[0].append_value(i64::from(d7));
                            b[1].append_value(i64::from(d30));
                        }
                        None => b.iter_mut().for_each(Int64Builder::append_null),
                    }
                }
                b.into_iter()
                    .map(|mut b| Arc::new(b.finish()) as ArrayRef)
                    .collect()
            }
            Output::Activity => {
                let mut b: Vec<Int64Builder> =
                    (0..3).map(|_| Int64Builder::with_capacity(n)).collect();
                for x in facts {
                    match x {
                        Some(x) => {
                            let v = [x.active_days, x.machines, x.versions];
                            b.iter_mut()
                                .zip(v)
                                .for_each(|(b, v)| b.append_value(i64::from(v)));
                        }
                        None => b.iter_mut().for_each(Int64Builder::append_null),
                    }
                }
                b.into_iter()
                    .map(|mut b| Arc::new(b.finish()) as ArrayRef)
                    .collect()
            }
            Output::Journey | Output::JourneyTimeline => {
                let mut parts = PARTS
                    .iter()
                    .map(|(_, part)| part.build(funnel, facts, &[]))
                    .collect::<Result<Vec<_>>>()?;
                if self == Output::JourneyTimeline {
                    parts.push(timeline_array(timelines)?);
                }
                parts
            }
            // a list, not a struct of parts
            Output::Timeline => return timeline_array(timelines),
        };
        Ok(Arc::new(StructArray::try_new(
            self.fields(),
            columns,
            Some(NullBuffer::from(valid)),
        )?))
    }
}
