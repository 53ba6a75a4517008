//! Workload analysis. STUB: to be completed.
