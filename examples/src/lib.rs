//! Examples of using Kinerja; see the `examples/` folder.
