// Shared probe harness (included with #[path] by every probe crate).
//
//   <bin> run   <file.pdf> <out.txt>            one file in-process, catch_unwind, prints one JSON line
//   <bin> batch <outdir> <timeout_s> <files..>  each file in a child process (`run`), wall-clock
//                                               timeout -> "hang"; child died by signal/abort -> "crash"
//
// A probe supplies `work(&[u8]) -> Result<Report, String>`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Report {
    pub pages: usize,
    pub page_errors: usize,
    pub first_page_error: Option<String>,
    pub text: String,
    /// extra numeric/text fields printed into the JSON line
    pub extra: Vec<(String, String)>,
}

static PANIC_MSG: Mutex<Option<String>> = Mutex::new(None);

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars().take(300) {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

pub fn main_with(work: fn(&[u8]) -> Result<Report, String>) {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(|s| s.as_str()) {
        Some("run") => run_one(work, &args[2], &args[3]),
        Some("batch") => batch(&args[0], &args[2], args[3].parse().unwrap(), &args[4..]),
        _ => {
            eprintln!("usage: {} run FILE OUT | batch OUTDIR TIMEOUT FILES..", args[0]);
            std::process::exit(2);
        }
    }
}

fn run_one(work: fn(&[u8]) -> Result<Report, String>, file: &str, out: &str) {
    std::panic::set_hook(Box::new(|info| {
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "?".into()
        };
        *PANIC_MSG.lock().unwrap() = Some(format!("{msg} @ {loc}"));
    }));
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            println!("{{\"status\":\"ioerr\",\"err\":{}}}", json_str(&e.to_string()));
            return;
        }
    };
    let t0 = Instant::now();
    let r = std::panic::catch_unwind(|| work(&bytes));
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut line = String::from("{");
    match r {
        Ok(Ok(rep)) => {
            if out != "-" {
                let _ = std::fs::write(out, rep.text.as_bytes());
            }
            line.push_str(&format!(
                "\"status\":\"ok\",\"pages\":{},\"page_errors\":{},\"ms\":{:.2},\"text_chars\":{}",
                rep.pages,
                rep.page_errors,
                ms,
                rep.text.chars().count()
            ));
            if let Some(e) = &rep.first_page_error {
                line.push_str(&format!(",\"first_page_error\":{}", json_str(e)));
            }
            for (k, v) in &rep.extra {
                // values given as "..." are re-escaped so a stray control char cannot break the line
                let v = if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') { json_str(&v[1..v.len() - 1]) } else { v.clone() };
                line.push_str(&format!(",{}:{}", json_str(k), v));
            }
        }
        Ok(Err(e)) => line.push_str(&format!("\"status\":\"error\",\"ms\":{:.2},\"err\":{}", ms, json_str(&e))),
        Err(_) => {
            let m = PANIC_MSG.lock().unwrap().clone().unwrap_or_default();
            line.push_str(&format!("\"status\":\"panic\",\"ms\":{:.2},\"err\":{}", ms, json_str(&m)))
        }
    }
    line.push('}');
    println!("{line}");
    let _ = std::io::stdout().flush();
}

fn batch(me: &str, outdir: &str, timeout_s: u64, files: &[String]) {
    std::fs::create_dir_all(outdir).unwrap();
    for f in files {
        let base = Path::new(f).file_name().unwrap().to_string_lossy().to_string();
        let out = format!("{}/{}.txt", outdir, base);
        let _ = std::fs::remove_file(&out);
        // 6 GB address-space cap so a runaway allocation shows up as a crash, not a swap storm
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 6000000; exec \"$0\" run \"$1\" \"$2\"")
            .arg(me)
            .arg(f)
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let t0 = Instant::now();
        let mut status = None;
        while t0.elapsed() < Duration::from_secs(timeout_s) {
            if let Some(s) = child.try_wait().unwrap() {
                status = Some(s);
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let line = match status {
            None => {
                let _ = child.kill();
                let _ = child.wait();
                format!("{{\"status\":\"hang\",\"ms\":{}}}", timeout_s * 1000)
            }
            Some(s) => {
                let mut buf = String::new();
                use std::io::Read;
                child.stdout.take().unwrap().read_to_string(&mut buf).unwrap();
                match buf.lines().rev().find(|l| l.starts_with('{')) {
                    Some(l) => l.to_string(),
                    None => format!("{{\"status\":\"crash\",\"err\":{}}}", json_str(&format!("{s:?}"))),
                }
            }
        };
        // prepend file name
        println!("{{\"file\":{},{}", json_str(&base), &line[1..]);
        let _ = std::io::stdout().flush();
    }
}
