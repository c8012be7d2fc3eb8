//! The allocator the command line runs on.

// Generation allocates many short strings per reference; mimalloc's
// thread-local free lists make that about a fifth cheaper than glibc's
// (callgrind: 242 M vs 203 M instructions for a 3 MB dry run). It is built
// with `no_thp` (Cargo.toml): with transparent huge pages in `madvise`
// mode it asked for 2 MB pages, each faulted in and zeroed whole.
#[cfg(not(feature = "dhat-heap"))]
#[global_allocator]
static GLOBAL: Mi = Mi;

// The mimalloc crate's allocator calls `mi_malloc_aligned` for every
// allocation, whose check for a block that happens to be aligned costs
// about twice what `mi_malloc` does (callgrind, 10 MB dry run: 346,000
// allocations, 15 M instructions in the aligned path). Every mimalloc block
// is a whole number of machine words from a word-aligned start, so an
// alignment of at most a word needs no check; larger ones keep the aligned
// calls.
#[cfg(not(feature = "dhat-heap"))]
struct Mi;

#[cfg(not(feature = "dhat-heap"))]
use libmimalloc_sys as mi;

/// What every mimalloc block is aligned to.
#[cfg(not(feature = "dhat-heap"))]
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each method forwards to the mimalloc function with the contract
// GlobalAlloc asks for; the unaligned calls are used only for alignments
// every mimalloc block meets, and `mi_free` frees blocks of either kind.
#[cfg(not(feature = "dhat-heap"))]
unsafe impl std::alloc::GlobalAlloc for Mi {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_malloc(layout.size()) as *mut u8
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_zalloc(layout.size()) as *mut u8
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        mi::mi_free(ptr.cast())
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_realloc(ptr.cast(), size) as *mut u8
        } else {
            mi::mi_realloc_aligned(ptr.cast(), size, layout.align()) as *mut u8
        }
    }
}

/// Have mimalloc return freed memory to the OS after 100 ms instead of its
/// default second: generation frees as fast as it allocates, and the delay
/// kept memory nothing used (100 MB corpus, peak RSS with 1000 ms / 100 ms /
/// 0 ms: `gen --dry-run` 33-36 / 28-30 / 22 MB, `validate --parse-only`
/// 21-24 / 14-16 / 9 MB). Purging at once cost `validate` a second of
/// system time per 100 MB (every file buffer unmapped and faulted in again);
/// 100 ms costs none measurable. A `MIMALLOC_PURGE_DELAY` set in the
/// environment still wins.
#[cfg(not(feature = "dhat-heap"))]
pub(crate) fn tune_allocator() {
    // libmimalloc-sys declares the option API only behind its `extended`
    // feature (which needs another crate); the functions are in the linked
    // library either way.
    extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_purge_delay` in mimalloc v3's `mi_option_t`.
    const PURGE_DELAY: std::ffi::c_int = 15;
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: two C calls taking and returning integers; mimalloc reads
    // options atomically. The option is set only if it holds purge_delay's
    // documented default, so a mimalloc numbering options differently is
    // left alone.
    unsafe {
        if mi_option_get(PURGE_DELAY) == 1000 {
            mi_option_set(PURGE_DELAY, 100);
        }
    }
}

// With `--features dhat-heap`, dhat counts every allocation instead.
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static GLOBAL: dhat::Alloc = dhat::Alloc;
