//! The global allocator of the `ccguard` binary and of the parse-only floor benchmark (which
//! includes this file, so both allocate alike): jemalloc, tuned (feature `jemalloc`, on by
//! default; without it, or on MSVC, the system allocator).

/// Allocations go to jemalloc: posts are parsed into many small, short-lived allocations on
/// every worker, which it serves faster than glibc's malloc (see `Cargo.toml`).
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main`: one arena for every thread and freed pages handed
/// back soon. Its defaults (an arena per thread, freed pages kept for seconds) raise the peak
/// memory of a run above glibc's malloc; with these it stays at glibc's.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: Option<&std::ffi::c_char> =
    // SAFETY: a pointer to the first byte of a static NUL-terminated string, as jemalloc reads it.
    Some(unsafe { &*c"narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0".as_ptr() });
