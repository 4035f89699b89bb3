//! Per-thread byte buffers reused from file to file: a large part (a .docx main part) would
//! otherwise be grown by doubling into fresh pages for every document. A buffer that had to
//! grow past [`KEEP`] is released after use, so one huge file does not pin memory on every
//! worker.

use std::cell::RefCell;
use std::thread::LocalKey;

/// The largest buffer kept between files.
const KEEP: usize = 4 << 20;

/// A per-thread buffer, for [`with`].
pub type Buffer = RefCell<Vec<u8>>;

/// Runs `f` with the calling thread's buffer `key`, empty.
pub fn with<R>(key: &'static LocalKey<Buffer>, f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    key.with_borrow_mut(|buf| {
        buf.clear();
        let result = f(buf);
        if buf.capacity() > KEEP {
            *buf = Vec::new();
        }
        result
    })
}
