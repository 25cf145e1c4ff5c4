//! Arrow columns of a batch's answers. Each field keeps the table of its
//! distinct values, and a text column is a dictionary: per row the value's
//! id in that table, and the table itself as the dictionary's values, built
//! once and shared by every batch until the field gains a value.

use super::shard::{Answer, Shard};
use super::texts::{NULL_VIEW, Texts};
use super::{Field, Fx, NO_ANSWER, NONE};
use arrow::array::{ArrayRef, ByteView, DictionaryArray, Int32Array, StringArray, UInt32Array};
use arrow::buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::datatypes::Int32Type;
use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};

/// A field table of up to 4 × max(batch rows, this) values is rebuilt
/// whenever it gains values (small in tests, to reach the other path).
const REBUILD_FLOOR: usize = if cfg!(test) { 4 } else { 1024 };

/// One field of every answer: per answer a small id, and per id the view
/// of the value. Few fields have many distinct values, so the second table
/// is usually tiny and filling a column reads little memory.
pub(super) struct FieldColumn {
    /// Global string id (of [`Texts`]) to this field's id.
    ids: HashMap<u32, u32, Fx>,
    /// Per field id, its view (id 0 is NULL).
    pub(super) views: Vec<u128>,
    /// The values as a string array (the dictionary of this field's
    /// columns), while it still has every value.
    pub(super) values: Option<ArrayRef>,
    /// The table's length when the previous batch's column was made.
    seen: usize,
}

impl Default for FieldColumn {
    fn default() -> Self {
        Self {
            ids: HashMap::default(),
            views: vec![NULL_VIEW],
            values: None,
            seen: 0,
        }
    }
}

impl FieldColumn {
    pub(super) fn id(&mut self, string: u32, texts: &Texts) -> u32 {
        if string == NONE {
            0
        } else {
            let next = self.views.len() as u32;
            let id = *self.ids.entry(string).or_insert(next);
            if id == next {
                self.views.push(texts.views[string as usize]);
            }
            id
        }
    }
}

/// One batch's answers: per row an answer of the shard (or none).
pub(crate) struct BatchAnswers<'a> {
    pub(super) shard: MutexGuard<'a, Shard>,
    pub(super) rows: Vec<u32>,
    /// Per row, its answer.
    pub(super) records: Vec<Answer>,
}

impl BatchAnswers<'_> {
    /// Which rows have an answer (NULL for a NULL or malformed address).
    pub(crate) fn nulls(&self) -> Option<NullBuffer> {
        if !self.rows.contains(&NO_ANSWER) {
            return None;
        }
        let nulls = NullBuffer::from_iter(self.rows.iter().map(|&r| r != NO_ANSWER));
        (nulls.null_count() > 0).then_some(nulls)
    }

    /// One text column per field.
    pub(crate) fn texts(&mut self, fields: &[Field]) -> Vec<ArrayRef> {
        fields.iter().map(|f| self.text(*f)).collect()
    }

    /// The text column of one field: a dictionary whose keys are the
    /// rows' value ids in the field's table and whose values are that
    /// table (built once, shared by later batches while it is complete).
    fn text(&mut self, field: Field) -> ArrayRef {
        let n = self.rows.len();
        let shard = &mut *self.shard;
        let column = &mut shard.fields[field as usize];
        if column.views.len() == 1 {
            // no answer so far has this field (a database without domains)
            return arrow::array::new_null_array(&crate::ip::text_type(), n);
        }
        let (table, built) = (
            column.views.len(),
            column.values.as_ref().map_or(0, |v| v.len()),
        );
        // no value added since the previous batch: a build now is likely
        // to serve many batches (a warm cache stops growing)
        let settled = std::mem::replace(&mut column.seen, table) == table;
        let values = if let Some(v) = column.values.as_ref().filter(|_| built == table) {
            Arc::clone(v)
        } else if settled || table <= 4 * n.max(REBUILD_FLOOR) || table >= built + built / 2 {
            // settled, small, or grown by half since the last build:
            // rebuild (so a growing table is copied a bounded number of
            // times in all)
            let v = strings(&column.views, &shard.texts.buffers);
            column.values = Some(Arc::clone(&v));
            v
        } else {
            // a large table that gained a few values: this batch gets a
            // dictionary of just the values it uses
            return self.text_of_batch(field);
        };
        let mut missing = 0usize;
        let keys: Vec<i32> = self
            .records
            .iter()
            .map(|a| {
                let id = a.id(&shard.origins, field);
                missing += usize::from(id == NONE);
                id as i32
            })
            .collect();
        let nulls = (missing > 0).then(|| NullBuffer::from_iter(keys.iter().map(|&k| k != 0)));
        let keys = Int32Array::new(ScalarBuffer::from(keys), nulls);
        // SAFETY: every key is an id this field's table gave out, so it is
        // below `values.len()` (the table's length when `values` was built,
        // checked above), and keys are never negative (the capacity clamp in
        // `AddressTable::new` keeps ids far below 2^31).
        #[expect(unsafe_code, reason = "skips re-checking every key; see SAFETY")]
        Arc::new(unsafe { DictionaryArray::<Int32Type>::new_unchecked(keys, values) })
    }

    /// The text column of one field as a dictionary of only the values
    /// its rows use (for a large table that is not rebuilt yet).
    fn text_of_batch(&self, field: Field) -> ArrayRef {
        let column = &self.shard.fields[field as usize];
        let mut local: HashMap<u32, i32, Fx> = HashMap::default();
        let mut used: Vec<u128> = Vec::new();
        let keys: Int32Array = self
            .records
            .iter()
            .map(|a| match a.id(&self.shard.origins, field) {
                NONE => None,
                id => Some(*local.entry(id).or_insert_with(|| {
                    used.push(column.views[id as usize]);
                    (used.len() - 1) as i32
                })),
            })
            .collect();
        let values = strings(&used, &self.shard.texts.buffers);
        match DictionaryArray::<Int32Type>::try_new(keys, values) {
            Ok(d) => Arc::new(d),
            // each key indexes `used`, which holds one value per key
            Err(e) => unreachable!("batch dictionary: {e}"),
        }
    }

    /// Each row's AS number.
    pub(crate) fn asns(&self) -> UInt32Array {
        let origins = &self.shard.origins;
        self.records
            .iter()
            .map(|a| origins[a.origin as usize].asn)
            .collect()
    }
}

/// A field's table of views as a `Utf8` array, the NULL view (id 0, never
/// a key of a valid row) as an empty string: the bytes of each string
/// copied from the view itself (up to 12 bytes) or from the shard's buffers.
///
/// (A `Utf8View` array over the shard's buffers would avoid the copy, but
/// DataFusion 55 mis-plans `CASE … THEN 'literal' ELSE <Utf8View>`, which
/// users write over these fields.)
fn strings(views: &[u128], buffers: &[Buffer]) -> ArrayRef {
    let size = |v: u128| if v == NULL_VIEW { 0 } else { v as u32 as usize };
    let total: usize = views.iter().map(|&v| size(v)).sum();
    let mut bytes: Vec<u8> = Vec::with_capacity(total);
    let mut offsets: Vec<i32> = Vec::with_capacity(views.len() + 1);
    offsets.push(0);
    for &v in views {
        let len = size(v);
        if len <= 12 {
            bytes.extend_from_slice(&v.to_le_bytes()[4..4 + len]);
        } else {
            let view = ByteView::from(v);
            let at = view.offset as usize;
            bytes.extend_from_slice(&buffers[view.buffer_index as usize][at..at + len]);
        }
        offsets.push(bytes.len() as i32);
    }
    // SAFETY: offsets start at 0 and grow by each string's length, and the
    // bytes are whole UTF-8 strings (every view was made by `make_view`
    // from a `&str`).
    #[expect(unsafe_code, reason = "skips re-validating the UTF-8; see SAFETY")]
    Arc::new(unsafe {
        StringArray::new_unchecked(
            OffsetBuffer::new_unchecked(ScalarBuffer::from(offsets)),
            Buffer::from_vec(bytes),
            None,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::isp_table;
    use super::*;
    use arrow::array::{Array, AsArray};

    #[test]
    fn a_large_table_gaining_a_value_answers_from_a_batch_dictionary() {
        let (resolver, table, addresses) = isp_table(60);
        let (seen, new) = addresses.split_at(50);
        let column = |texts: &[String]| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(texts.iter()))
        };
        let mut answers = table.answer(&column(seen)).expect("answer");
        answers.texts(&[Field::Network]);
        let built = answers.shard.fields[Field::Network as usize].views.len();
        drop(answers);
        for (i, text) in new.iter().enumerate() {
            // one new address and one known one: the table grows by one
            let batch = [text.clone(), seen[i].clone()];
            let mut answers = table.answer(&column(&batch)).expect("answer");
            let network = answers.texts(&[Field::Network]).remove(0);
            let dict = network.as_dictionary::<Int32Type>();
            assert_eq!(dict.values().len(), 2, "only this batch's values");
            let values = dict.values().as_string::<i32>();
            for (row, text) in batch.iter().enumerate() {
                let want = resolver.resolve(text.parse().expect("address"));
                let got = values.value(dict.keys().value(row) as usize);
                assert_eq!(Some(got.to_string()), want.network.map(|w| w.to_string()));
            }
            let field = &answers.shard.fields[Field::Network as usize];
            assert!(field.views.len() > built, "the table grew");
            assert_eq!(field.values.as_ref().map(|v| v.len()), Some(built));
        }
        // Once a batch brings no new value, the whole table is built again
        // and shared by the batches after it.
        let mut shared = Vec::new();
        for _ in 0..3 {
            let mut answers = table.answer(&column(&seen[..2])).expect("answer");
            let network = answers.texts(&[Field::Network]).remove(0);
            let values = Arc::clone(network.as_dictionary::<Int32Type>().values());
            let field = &answers.shard.fields[Field::Network as usize];
            assert_eq!(values.len(), field.views.len(), "the whole table");
            shared.push(values);
        }
        assert!(Arc::ptr_eq(&shared[0], &shared[1]) && Arc::ptr_eq(&shared[1], &shared[2]));
    }
}
