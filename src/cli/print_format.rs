//! Output formats for query results.

use super::exec::CliError;
use arrow::array::{ArrayRef, RecordBatch};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use std::io::Write;
use std::sync::Arc;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrintFormat {
    /// An aligned text table.
    Table,
    /// CSV with a header row (flat columns only).
    Csv,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Ndjson,
}

/// The type with every dictionary replaced by its value type.
fn plain(t: &DataType) -> DataType {
    match t {
        DataType::Dictionary(_, v) => plain(v),
        DataType::Struct(fields) => DataType::Struct(
            fields
                .iter()
                .map(|f| Arc::new(Field::new(f.name(), plain(f.data_type()), f.is_nullable())))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Decode dictionaries so every writer can handle the columns.
fn plain_batch(schema: &SchemaRef, batch: &RecordBatch) -> Result<RecordBatch, CliError> {
    let columns = batch
        .columns()
        .iter()
        .map(|c| {
            let t = plain(c.data_type());
            if &t == c.data_type() {
                Ok(Arc::clone(c))
            } else {
                arrow::compute::cast(c, &t)
            }
        })
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    Ok(RecordBatch::try_new(Arc::clone(schema), columns)?)
}

/// A writer that remembers the I/O error it returned, since Arrow's writers
/// turn errors into text (a closed pipe must stay recognisable).
struct Tracked<W> {
    inner: W,
    error: Option<std::io::ErrorKind>,
}

impl<W: Write> Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner
            .write(buf)
            .inspect_err(|e| self.error = Some(e.kind()))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner
            .flush()
            .inspect_err(|e| self.error = Some(e.kind()))
    }
}

impl PrintFormat {
    /// Print `batches` (of `schema`) to `out`.
    pub fn print(
        self,
        out: &mut impl Write,
        schema: &Schema,
        batches: &[RecordBatch],
    ) -> Result<(), CliError> {
        let mut tracked = Tracked {
            inner: out,
            error: None,
        };
        let result = self.print_to(&mut tracked, schema, batches);
        match (result, tracked.error) {
            (Err(_), Some(kind)) => Err(CliError::Io {
                context: "writing the output".into(),
                source: kind.into(),
            }),
            (result, _) => result,
        }
    }

    fn print_to(
        self,
        out: &mut impl Write,
        schema: &Schema,
        batches: &[RecordBatch],
    ) -> Result<(), CliError> {
        let plain_schema: SchemaRef = Arc::new(Schema::new(
            schema
                .fields()
                .iter()
                .map(|f| Field::new(f.name(), plain(f.data_type()), f.is_nullable()))
                .collect::<Vec<_>>(),
        ));
        let batches = batches
            .iter()
            .map(|b| plain_batch(&plain_schema, b))
            .collect::<Result<Vec<_>, _>>()?;
        let io = |source| CliError::Io {
            context: "writing the output".into(),
            source,
        };
        match self {
            PrintFormat::Table => {
                let table =
                    arrow::util::pretty::pretty_format_batches_with_schema(plain_schema, &batches)?;
                writeln!(out, "{table}").map_err(io)?;
            }
            PrintFormat::Csv => {
                if let Some(f) = plain_schema
                    .fields()
                    .iter()
                    .find(|f| f.data_type().is_nested())
                {
                    return Err(CliError::DataFusion(
                        datafusion::error::DataFusionError::Plan(format!(
                            "column '{}' is a {}: CSV needs flat columns; select its fields (for example {}['company']) or use --format json",
                            f.name(),
                            f.data_type(),
                            f.name()
                        )),
                    ));
                }
                let mut w = arrow::csv::WriterBuilder::new()
                    .with_header(true)
                    .build(&mut *out);
                if batches.is_empty() {
                    w.write(&RecordBatch::new_empty(plain_schema))?;
                }
                for b in &batches {
                    w.write(b)?;
                }
            }
            PrintFormat::Json => {
                let mut w = arrow::json::ArrayWriter::new(&mut *out);
                for b in &batches {
                    w.write(b)?;
                }
                w.finish()?;
                if batches.iter().all(|b| b.num_rows() == 0) {
                    write!(out, "[]").map_err(io)?;
                }
                writeln!(out).map_err(io)?;
            }
            PrintFormat::Ndjson => {
                let mut w = arrow::json::LineDelimitedWriter::new(&mut *out);
                for b in &batches {
                    w.write(b)?;
                }
                w.finish()?;
            }
        }
        Ok(())
    }
}
