//! The library side of the `entente` command line: reading corpora and
//! running them through an [`entente::Extractor`] on all cores. It is a
//! library so that the fuzz targets and tests can drive the same code as
//! the binary; it is not a stable API.

pub mod corpus;
