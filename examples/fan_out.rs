//! Go's `fetchAll` with `lockwise::fan_out`: fetch every page at once, keep the pages in
//! the order of the URLs, stop at the first error.
//!
//! Go's lesson: *a WaitGroup waits for all; an errgroup also returns the first error and
//! cancels the rest.* In Go that is a goroutine per URL writing `results[i]`, a
//! `WaitGroup` (or `errgroup.Group` with `SetLimit`) and a `context` to cancel. In Rust,
//! `std::thread::scope` already waits for all; `fan_out` adds the rest in one call.
//!
//! What it shows, over a fake fetcher (no network: latencies are sleeps, in small steps
//! that poll the cancellation as a real client would check its context):
//! - the pages come back in the order of the URLs, not in the order the fetches finished,
//! - `fan_out_limit(n, ..)` to run more blocking fetches at once than there are cores,
//! - the first error wins: the fetches in flight see `Cancel::is_cancelled()` and give up,
//!   the URLs not yet started are never fetched,
//! - the URLs, the fake web and the counters are borrowed from `main`'s stack: the threads
//!   are scoped.
//!
//! Run it with `cargo run --example fan_out`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use lockwise::{Cancel, fan_out_limit};

/// What a fetch returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub url: String,
    pub bytes: usize,
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    NotFound(String),
    /// The fan-out failed elsewhere while this fetch was in flight; nobody will read this
    /// error (the first one wins), but the fetch stopped early.
    Cancelled(String),
}

/// A fake web: each URL answers after its latency, with a page or a 404.
struct FakeWeb {
    sites: HashMap<String, (Duration, Option<usize>)>,
    /// In completion order: which fetches finished, to compare with the result order.
    finished: Mutex<Vec<String>>,
    started: AtomicUsize,
    cancelled: AtomicUsize,
}

impl FakeWeb {
    /// `(url, latency in ms, page size or None for a 404)`.
    fn new<'a>(sites: impl IntoIterator<Item = (&'a str, u64, Option<usize>)>) -> Self {
        FakeWeb {
            sites: sites
                .into_iter()
                .map(|(url, ms, bytes)| (url.to_owned(), (Duration::from_millis(ms), bytes)))
                .collect(),
            finished: Mutex::new(Vec::new()),
            started: AtomicUsize::new(0),
            cancelled: AtomicUsize::new(0),
        }
    }

    /// One blocking fetch. It waits its latency in 1 ms steps, and checks `cancel`
    /// between them: a real client would check its context (or a deadline) the same way.
    fn fetch(&self, url: &str, cancel: &Cancel) -> Result<Page, FetchError> {
        self.started.fetch_add(1, Ordering::Relaxed);
        let (latency, bytes) = self.sites[url];
        let step = Duration::from_millis(1);
        let mut waited = Duration::ZERO;
        while waited < latency {
            if cancel.is_cancelled() {
                self.cancelled.fetch_add(1, Ordering::Relaxed);
                return Err(FetchError::Cancelled(url.to_owned()));
            }
            thread::sleep(step);
            waited += step;
        }
        self.finished.lock().unwrap().push(url.to_owned());
        match bytes {
            Some(bytes) => Ok(Page {
                url: url.to_owned(),
                bytes,
            }),
            None => Err(FetchError::NotFound(url.to_owned())),
        }
    }
}

/// Go's `fetchAll`, at most `limit` fetches at once. Blocking fetches wait on the
/// network, not the CPU, so the limit may exceed the core count (`fan_out` would use the
/// core count).
fn fetch_all(web: &FakeWeb, urls: &[&str], limit: usize) -> Result<Vec<Page>, FetchError> {
    fan_out_limit(limit, urls, |url, cancel| web.fetch(url, cancel))
}

pub fn main() {
    // 1. Every fetch succeeds. The slow first page finishes last but comes back first.
    let web = FakeWeb::new([
        ("https://slow.example/", 40, Some(1_200)),
        ("https://fast.example/", 2, Some(300)),
        ("https://medium.example/", 15, Some(800)),
        ("https://fast.example/about", 1, Some(150)),
    ]);
    let urls = [
        "https://slow.example/",
        "https://fast.example/",
        "https://medium.example/",
        "https://fast.example/about",
    ];
    let pages = fetch_all(&web, &urls, 4).expect("every site answers");
    let finished = web.finished.lock().unwrap().clone();
    println!(
        "fetched {} pages; they finished in this order:",
        pages.len()
    );
    for url in &finished {
        println!("  {url}");
    }
    println!("and come back in the order of the URLs:");
    for page in &pages {
        println!("  {:<28} {:>5} bytes", page.url, page.bytes);
    }
    let in_order: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(in_order, urls);
    assert_eq!(finished.len(), urls.len());

    // 2. One URL of 40 is a 404. Its error is the answer; the fetches in flight give up,
    //    and the URLs after them are never fetched.
    let urls: Vec<String> = (0..40)
        .map(|i| format!("https://site{i}.example/"))
        .collect();
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    let web = FakeWeb::new(urls.iter().enumerate().map(|(i, &url)| {
        let latency_ms = 5 + i as u64 % 4 * 5;
        let page = if i == 6 { None } else { Some(100 * i) }; // site6 is gone
        (url, latency_ms, page)
    }));
    let limit = 4;
    let result = fetch_all(&web, &urls, limit);
    assert_eq!(
        result,
        Err(FetchError::NotFound("https://site6.example/".to_owned()))
    );

    let started = web.started.load(Ordering::Relaxed);
    let cancelled = web.cancelled.load(Ordering::Relaxed);
    let completed = web.finished.lock().unwrap().len();
    println!();
    println!("{} URLs, {limit} at a time, site6 is a 404:", urls.len());
    println!("  result: {result:?}");
    println!(
        "  {completed} fetches completed (site6 included), {cancelled} gave up when \
         cancelled, {} never started",
        urls.len() - started
    );
    // Every fetch that started had ended when `fetch_all` returned.
    assert_eq!(completed + cancelled, started);
}
