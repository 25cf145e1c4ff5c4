//! [`PackedEventGroups`] over a single group: DataFusion's plain
//! accumulator API, also used in window frames.

use super::PackedEventGroups;
use arrow::array::ArrayRef;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{Accumulator, GroupsAccumulator};

/// [`PackedEventGroups`] over a single group (DataFusion's plain
/// accumulator API, also used in window frames: evaluating does not
/// consume the events).
pub(crate) struct PackedEventAccumulator(pub(crate) PackedEventGroups);

impl std::fmt::Debug for PackedEventAccumulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedEventAccumulator({})", self.0.name)
    }
}

impl Accumulator for PackedEventAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let n = values.first().map_or(0, |a| a.len());
        self.0.update_batch(values, &vec![0; n], None, 1)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let g = &mut self.0;
        g.resize(1);
        let mut profile = std::mem::take(&mut g.profile);
        let mut scratch = Vec::new();
        let (summary, timeline) = match g.single() {
            None => (None, Vec::new()),
            Some((own, chunks)) => g.row(&mut profile, &mut scratch, g.as_ofs[0], own, &chunks)?,
        };
        g.profile = profile;
        let array = g.output.build(&g.funnel, &[summary], &[timeline])?;
        ScalarValue::try_from_array(&array, 0)
    }

    fn size(&self) -> usize {
        self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let g = &mut self.0;
        g.resize(1);
        let Some((own, chunks)) = g.single() else {
            return Ok(vec![ScalarValue::LargeBinary(None)]);
        };
        let mut bytes = Vec::new();
        PackedEventGroups::encode(
            &g.versions,
            &mut Vec::new(),
            g.as_ofs[0],
            own,
            &chunks,
            &mut bytes,
        );
        Ok(vec![ScalarValue::LargeBinary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states.first().map_or(0, |a| a.len());
        self.0.merge_batch(states, &vec![0; n], 1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::SHARED_VERSIONS;
    use super::super::test_rows::{groups, rows, slice};
    use super::*;
    use datafusion::logical_expr::EmitTo;

    #[test]
    fn evaluating_does_not_consume_the_events() {
        for extra_versions in [0, SHARED_VERSIONS + 1] {
            let (values, g) = rows(extra_versions);
            let mut one = groups();
            one.update_batch(&values, &g, None, 4).unwrap();
            let expected = one.evaluate(EmitTo::All).unwrap();
            // the plain accumulator: evaluating does not consume the events
            let mut acc = PackedEventAccumulator(groups());
            acc.update_batch(&slice(&values, 0, 16)).unwrap();
            let once = acc.evaluate().unwrap();
            assert_eq!(acc.evaluate().unwrap(), once);
            let state = acc.state().unwrap();
            let mut merged = PackedEventAccumulator(groups());
            merged.merge_batch(&[state[0].to_array().unwrap()]).unwrap();
            assert_eq!(merged.evaluate().unwrap(), once);
            assert_eq!(
                ScalarValue::try_from_array(&expected, 0).unwrap(),
                once,
                "group 0 alone"
            );
        }
    }
}
