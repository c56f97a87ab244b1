//! The data files embedded at build time: `(path, contents)` pairs listed by
//! `build.rs`, parsed at first use so that diagnostics keep real locations.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
