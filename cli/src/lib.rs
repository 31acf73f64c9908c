//! The parts of the `mrc` CLI that tests and other tools reuse: the HTTP sync transport.

pub mod http;
