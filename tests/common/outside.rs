//! Files that are not ours — other projects' test suites and real public documents — are read
//! where they lie (an environment variable, else `../shared/` beside the checkout), never
//! committed. A test that cannot find them says so and passes, except under `CI=true`.

use std::io::Write;
use std::path::PathBuf;

/// A collection of outside files a test may read.
#[derive(Debug, Clone, Copy)]
pub enum Outside {
    /// Word and spreadsheet files from other projects' test suites (`JIXIAO_PEER_FILES`, else
    /// `../shared/peer-files`).
    PeerFiles,
    /// Real public reports and budgets (`JIXIAO_REAL_FILES`, else `../shared/real`).
    RealFiles,
}

impl Outside {
    fn variable(self) -> &'static str {
        match self {
            Outside::PeerFiles => "JIXIAO_PEER_FILES",
            Outside::RealFiles => "JIXIAO_REAL_FILES",
        }
    }

    fn beside_checkout(self) -> PathBuf {
        let name = match self {
            Outside::PeerFiles => "peer-files",
            Outside::RealFiles => "real",
        };
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared")
            .join(name)
    }

    /// The folder holding these files, or `None` after printing one line that says what
    /// `test` skipped and how to point it at the files. Under `CI=true` a missing folder
    /// fails the test, so CI never silently stops running it.
    pub fn dir(self, test: &str) -> Option<PathBuf> {
        let var = self.variable();
        if let Some(dir) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            let dir = PathBuf::from(dir);
            assert!(dir.is_dir(), "{var}={} is not a folder", dir.display());
            return Some(dir);
        }
        let dir = self.beside_checkout();
        if dir.is_dir() {
            return Some(dir);
        }
        let message = format!(
            "skipped {test}: no {} (set {var}=DIR to run it)",
            dir.display()
        );
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{message}; under CI=true the outside files are required"
        );
        // Written to the handle, not through eprintln!, so the test harness does not swallow it.
        let _ = writeln!(std::io::stderr(), "{message}");
        None
    }
}
