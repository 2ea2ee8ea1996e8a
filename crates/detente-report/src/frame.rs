//! Tables for data tools: named, typed columns written as CSV or Parquet
//! (the tournament's scores and summary tables). A missing value is an empty
//! CSV field and a Parquet null; a NaN is written as missing, so pandas,
//! polars and R read the same table from either file.

use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

/// One column's values, `None` where missing.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Whole numbers (Parquet INT64).
    Int(Vec<Option<i64>>),
    /// Real numbers (Parquet DOUBLE; NaN is written as missing).
    Float(Vec<Option<f64>>),
    /// Yes or no (Parquet BOOLEAN).
    Bool(Vec<Option<bool>>),
    /// Text (Parquet BYTE_ARRAY annotated as UTF-8 strings).
    Text(Vec<Option<String>>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Text(v) => v.len(),
        }
    }

    /// The CSV field of row `i`.
    fn field(&self, i: usize) -> String {
        match self {
            Column::Int(v) => v[i].map(|x| x.to_string()),
            Column::Float(v) => v[i].filter(|x| !x.is_nan()).map(|x| x.to_string()),
            Column::Bool(v) => v[i].map(|x| x.to_string()),
            Column::Text(v) => v[i].clone(),
        }
        .unwrap_or_default()
    }
}

/// The file formats a [`Frame`] is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// Apache Parquet, one row group, Snappy-compressed.
    Parquet,
}

impl TableFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Parquet => "parquet",
        }
    }
}

/// Named columns of equal length.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    columns: Vec<(String, Column)>,
}

impl Frame {
    /// An empty frame.
    pub fn new() -> Frame {
        Frame::default()
    }

    /// Adds a column. Panics if its length differs from the columns
    /// already there: a frame is built by code, never from input.
    pub fn push(&mut self, name: impl Into<String>, column: Column) {
        if let Some((_, first)) = self.columns.first() {
            assert_eq!(first.len(), column.len(), "every column of a frame has one value per row");
        }
        self.columns.push((name.into(), column));
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// The column names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(n, _)| n.as_str())
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// The frame in `format`.
    pub fn to_bytes(&self, format: TableFormat) -> Result<Vec<u8>, String> {
        match format {
            TableFormat::Csv => self.to_csv(),
            TableFormat::Parquet => self.to_parquet(),
        }
    }

    /// The frame as CSV: a header row, then one line per row.
    pub fn to_csv(&self) -> Result<Vec<u8>, String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.names()).map_err(|e| e.to_string())?;
        for i in 0..self.rows() {
            w.write_record(self.columns.iter().map(|(_, c)| c.field(i))).map_err(|e| e.to_string())?;
        }
        w.into_inner().map_err(|e| e.to_string())
    }

    /// The frame as a Parquet file: every column optional, in one row group.
    pub fn to_parquet(&self) -> Result<Vec<u8>, String> {
        let err = |e: parquet::errors::ParquetError| e.to_string();
        let fields = self
            .columns
            .iter()
            .map(|(name, column)| {
                let (physical, logical) = match column {
                    Column::Int(_) => (PhysicalType::INT64, None),
                    Column::Float(_) => (PhysicalType::DOUBLE, None),
                    Column::Bool(_) => (PhysicalType::BOOLEAN, None),
                    Column::Text(_) => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
                };
                Type::primitive_type_builder(name, physical)
                    .with_repetition(Repetition::OPTIONAL)
                    .with_logical_type(logical)
                    .build()
                    .map(Arc::new)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        let schema = Arc::new(Type::group_type_builder("schema").with_fields(fields).build().map_err(err)?);
        let properties = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
        let mut writer = SerializedFileWriter::new(Vec::new(), schema, properties).map_err(err)?;
        let mut group = writer.next_row_group().map_err(err)?;
        for (_, column) in &self.columns {
            let Some(mut out) = group.next_column().map_err(err)? else {
                return Err("the Parquet writer has fewer columns than the frame".into());
            };
            match column {
                Column::Int(v) => {
                    let (values, levels) = present(v.iter().copied());
                    out.typed::<Int64Type>().write_batch(&values, Some(&levels), None).map_err(err)?;
                }
                Column::Float(v) => {
                    let (values, levels) = present(v.iter().map(|x| x.filter(|x| !x.is_nan())));
                    out.typed::<DoubleType>().write_batch(&values, Some(&levels), None).map_err(err)?;
                }
                Column::Bool(v) => {
                    let (values, levels) = present(v.iter().copied());
                    out.typed::<BoolType>().write_batch(&values, Some(&levels), None).map_err(err)?;
                }
                Column::Text(v) => {
                    let (values, levels) = present(v.iter().map(|x| x.as_deref().map(ByteArray::from)));
                    out.typed::<ByteArrayType>().write_batch(&values, Some(&levels), None).map_err(err)?;
                }
            }
            out.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        writer.into_inner().map_err(err)
    }
}

/// The present values and the definition level of every row (1 present,
/// 0 missing): how Parquet stores an optional column.
fn present<T>(values: impl Iterator<Item = Option<T>>) -> (Vec<T>, Vec<i16>) {
    let mut kept = Vec::new();
    let mut levels = Vec::new();
    for v in values {
        levels.push(v.is_some() as i16);
        kept.extend(v);
    }
    (kept, levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Frame {
        let mut f = Frame::new();
        f.push("id", Column::Int(vec![Some(0), Some(1), None]));
        f.push("utility", Column::Float(vec![Some(0.25), Some(f64::NAN), None]));
        f.push("agreement", Column::Bool(vec![Some(true), Some(false), None]));
        f.push("outcome.price", Column::Text(vec![Some("low, \"cheap\"".into()), None, Some("mid".into())]));
        f
    }

    #[test]
    fn csv_quotes_text_and_leaves_missing_values_empty() {
        let csv = String::from_utf8(sample().to_csv().unwrap()).unwrap();
        assert_eq!(csv, "id,utility,agreement,outcome.price\n0,0.25,true,\"low, \"\"cheap\"\"\"\n1,,false,\n,,,mid\n");
    }

    /// Read back with the parquet crate's own reader: the same rows, NaN
    /// and missing values as nulls.
    #[test]
    fn parquet_reads_back_to_the_same_rows() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        use parquet::record::Field;
        let bytes = sample().to_parquet().unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 3);
        let rows: Vec<Vec<Field>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap().get_column_iter().map(|(_, f)| f.clone()).collect())
            .collect();
        assert_eq!(
            rows[0],
            [Field::Long(0), Field::Double(0.25), Field::Bool(true), Field::Str("low, \"cheap\"".into())]
        );
        assert_eq!(rows[1], [Field::Long(1), Field::Null, Field::Bool(false), Field::Null]);
        assert_eq!(rows[2], [Field::Null, Field::Null, Field::Null, Field::Str("mid".into())]);
    }
}
