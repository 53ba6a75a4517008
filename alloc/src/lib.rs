//! The memory allocator of Kinerja's programs: the `kinerja` command line, the
//! city's service and the benchmarks that time them.
//!
//! The engine itself (`kinerja`) allocates through the global allocator of
//! whatever program embeds it and chooses none: a Python interpreter, a phone app
//! or a city's own service keeps its own. Kinerja's own programs link this crate,
//! which makes [mimalloc](https://github.com/microsoft/mimalloc) their global
//! allocator, and call [`configure`] first thing in `main`.
//!
//! Why: a month's record is ~1 M events replayed into tables of ~200 MB, a few
//! hundred thousand small allocations (descriptions, keys) among them. With the
//! system allocator every large table is a fresh `mmap` faulted in 4 KiB at a
//! time (~69,000 page faults for `kinerja tpp` of the Banda Aceh month); mimalloc
//! serves them from arenas backed by transparent huge pages where the system
//! allows it (a few hundred faults), and its per-size free lists make the small
//! allocations cheaper. The measured difference is in `benches/README.md`.

#![forbid(unsafe_op_in_unsafe_fn)]

/// The global allocator of every program that links this crate.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sets the allocator's options; call it first thing in `main`.
///
/// Memory the program frees goes back to the system at once instead of after
/// mimalloc's default delay (1 s): a command reads a dataset and a journal,
/// frees what parsing them needed and then builds the month, and the delay would
/// keep both at once (the peak of `kinerja tpp` of the Banda Aceh month: ~218 MB
/// with immediate purging, ~247 MB without; the limit the project holds is
/// 250 MB). Environment variables (`MIMALLOC_PURGE_DELAY` etc.) read by mimalloc
/// at start-up are overridden for this option only.
pub fn configure() {
    // SAFETY: `mi_option_set` stores one of mimalloc's option values; it is called
    // with an option number of mimalloc's header (checked by this crate's test)
    // and a value in the option's range (a delay in milliseconds).
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    }
}

/// `mi_option_purge_delay` of mimalloc 3's `mimalloc.h` (libmimalloc-sys names
/// no constant for it): its 16th option.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc's purge delay: its default in mimalloc 3's
    /// `options.c` is 1,000 ms (`MIMALLOC_PURGE_DELAY` unset; the header's comment
    /// still says 10), and `configure` makes it 0. An
    /// upgrade of mimalloc that renumbered its options fails here.
    #[test]
    fn configure_purges_freed_memory_at_once() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads an option value.
            assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
        }
        configure();
        // SAFETY: reads an option value.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 0);
        // The allocator serves and frees a table the size of a month's column.
        let column = vec![7u32; 1 << 20];
        assert_eq!(column.iter().map(|&x| u64::from(x)).sum::<u64>(), 7 << 20);
    }
}
