//! Work calendar. STUB: to be completed.
