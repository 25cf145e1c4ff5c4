//! The string store of a shard: each distinct string kept once, as a
//! string view (strings of up to 12 bytes sit in the view itself, longer
//! ones in buffers). Buffers are immutable once handed out; new strings go
//! to a fresh buffer, and the buffers are merged into one when too many
//! have accumulated.

use super::{Fx, NONE};
use arrow::array::ByteView;
use arrow::array::builder::make_view;
use arrow::buffer::Buffer;
use std::collections::HashMap;

/// Merge the string buffers into one when there are more than this many.
const MAX_BUFFERS: usize = 32;
/// A view marking a NULL slot while a column is filled (no real view
/// has this length).
pub(super) const NULL_VIEW: u128 = u32::MAX as u128;

/// Interned strings, each with the view that points at its bytes.
#[derive(Default)]
pub(super) struct Texts {
    ids: HashMap<Box<str>, u32, Fx>,
    /// Per string id, its view (id 0 is NULL).
    pub(super) views: Vec<u128>,
    /// Buffers already handed out (never changed again).
    pub(super) buffers: Vec<Buffer>,
    /// Bytes of strings added since the last [`Texts::freeze`]; they become
    /// buffer number `buffers.len()`.
    pending: Vec<u8>,
}

impl Texts {
    pub(super) fn new() -> Self {
        // string 0 stands for NULL
        Self {
            views: vec![NULL_VIEW],
            ..Self::default()
        }
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.push(s);
        self.ids.insert(Box::from(s), id);
        id
    }

    /// Keep a string the caller knows to be new to it, without entering it
    /// in the table of strings [`Texts::intern`] finds.
    pub(super) fn push(&mut self, s: &str) -> u32 {
        let id = self.views.len() as u32;
        let view = if s.len() <= 12 {
            make_view(s.as_bytes(), 0, 0)
        } else {
            let offset = self.pending.len() as u32;
            self.pending.extend_from_slice(s.as_bytes());
            make_view(s.as_bytes(), self.buffers.len() as u32, offset)
        };
        self.views.push(view);
        id
    }

    pub(super) fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.intern(s))
    }

    /// Hand out the pending bytes as a buffer. When there are many
    /// buffers, they are first concatenated into one, and the returned
    /// function moves any view into it (the caller applies it to the views
    /// it keeps elsewhere).
    pub(super) fn freeze(&mut self) -> Option<impl Fn(u128) -> u128 + use<>> {
        if self.pending.is_empty() {
            return None;
        }
        let pending = Buffer::from_vec(std::mem::take(&mut self.pending));
        self.buffers.push(pending);
        if self.buffers.len() <= MAX_BUFFERS {
            return None;
        }
        let mut starts = Vec::with_capacity(self.buffers.len());
        let mut bytes = Vec::with_capacity(self.buffers.iter().map(Buffer::len).sum());
        for b in &self.buffers {
            starts.push(bytes.len() as u32);
            bytes.extend_from_slice(b.as_slice());
        }
        self.buffers = vec![Buffer::from_vec(bytes)];
        let moved = move |view: u128| -> u128 {
            let len = view as u32;
            if len <= 12 || view == NULL_VIEW {
                return view;
            }
            let mut v = ByteView::from(view);
            v.offset += starts[v.buffer_index as usize];
            v.buffer_index = 0;
            v.as_u128()
        };
        self.views.iter_mut().for_each(|v| *v = moved(*v));
        Some(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Field;
    use super::super::testing::isp_table;
    use super::*;
    use arrow::array::{Array, ArrayRef, AsArray, StringArray};
    use std::sync::Arc;

    /// Many batches, each bringing new strings: buffers are merged along the
    /// way and every answer handed out (earlier arrays included) still reads
    /// exactly what the uncached resolver says.
    #[test]
    fn answers_stay_right_across_buffer_merges() {
        let (resolver, table, addresses) = isp_table(3 * MAX_BUFFERS);
        assert!(addresses.len() > 2 * MAX_BUFFERS, "{}", addresses.len());
        let mut kept = Vec::new();
        let (mut buffers, mut merged) = (0, false);
        for n in 1..=addresses.len() {
            // the n-th address is new; the others come back from the cache
            let mut column: Vec<Option<&str>> =
                addresses[..n].iter().map(|s| Some(s.as_str())).collect();
            column.push(Some("not an address"));
            column.push(None);
            let array: ArrayRef = Arc::new(StringArray::from(column));
            let mut answers = table.answer(&array).expect("answer");
            let texts = answers.texts(&[Field::Company, Field::Network]);
            let now = answers.shard.texts.buffers.len();
            assert!(now <= MAX_BUFFERS);
            merged |= now < buffers;
            buffers = now;
            let nulls = answers.nulls().expect("two rows without an address");
            assert_eq!(nulls.null_count(), 2);
            kept.push((n, texts, answers.asns()));
        }
        assert!(merged, "the buffers were never merged");
        for (n, texts, asns) in kept {
            // dictionaries: read through their values
            let plain = |a: &ArrayRef| {
                arrow::compute::cast(a, &arrow::datatypes::DataType::Utf8).expect("cast")
            };
            let (company, network) = (plain(&texts[0]), plain(&texts[1]));
            let (company, network) = (company.as_string::<i32>(), network.as_string::<i32>());
            for (i, text) in addresses[..n].iter().enumerate() {
                let want = resolver.resolve(text.parse().expect("address"));
                let got = company.is_valid(i).then(|| company.value(i));
                assert_eq!(
                    got,
                    want.company.as_deref(),
                    "company of {text} in batch {n}"
                );
                let got = network.is_valid(i).then(|| network.value(i).to_string());
                assert_eq!(
                    got,
                    want.network.map(|w| w.to_string()),
                    "network of {text}"
                );
                assert_eq!(
                    asns.is_valid(i).then(|| asns.value(i)),
                    want.asn,
                    "asn of {text}"
                );
            }
            for i in [n, n + 1] {
                assert!(company.is_null(i) && network.is_null(i) && asns.is_null(i));
            }
        }
    }
}
