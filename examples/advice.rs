//! Which word should this lock be? Ask the profile.
//!
//! Go's lesson: *measure before you pick a lock.* Go's mutex profile tells you where
//! goroutines waited; lockwise's `profile` feature goes one step further and tells you which
//! word of the attribute to change, because every lock knows its mode.
//!
//! Two locks, both `#[guarded]` (a mutex):
//! - a `PriceBoard` that request threads read all day and a feed updates now and then: the
//!   mutex makes the readers queue behind each other, and the profile says "use `rw`";
//! - an `OrderBook` that the same threads write as often as they read (place an order, look
//!   at the best price): a reader-writer lock would not help, and the profile says nothing
//!   of the kind.
//!
//! Run it with `cargo run --example advice --features profile`. Without the feature the
//! workloads still run; there is just no report to print.

use std::collections::HashMap;
use std::thread;

use lockwise::guarded;

/// Quotes by ticker: read on every request, updated by a feed.
#[guarded] // a mutex, the default: the profile will say it should be `rw`
#[derive(Debug, Default)]
pub struct PriceBoard {
    quotes: HashMap<String, u64>,
}

/// Open orders: each request places one and then reads the best price.
#[guarded] // a mutex, and rightly so: half of its acquisitions are writes
#[derive(Debug, Default)]
pub struct OrderBook {
    orders: Vec<u64>,
    best: u64,
}

const TICKERS: [&str; 8] = [
    "ACME", "BOLT", "CORE", "DYNO", "EPIC", "FLUX", "GRID", "HALO",
];

/// A day of requests on `threads` threads, `requests` each: every request reads a quote
/// (summing the board, so the lock is held for a moment); one request in 50 is the feed's
/// update. Returns how many quotes were read.
pub fn read_mostly_day(board: &PriceBoard, threads: usize, requests: usize) -> u64 {
    board.with_write(|b| {
        for (i, ticker) in TICKERS.iter().enumerate() {
            b.quotes.insert((*ticker).to_owned(), 100 + i as u64);
        }
    });
    thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut read = 0;
                    for i in 0..requests {
                        if i % 50 == 49 {
                            let ticker = TICKERS[(i + t) % TICKERS.len()];
                            board.with_write(|b| {
                                *b.quotes.entry(ticker.to_owned()).or_insert(0) += 1
                            });
                        } else {
                            let board = board.read();
                            let total: u64 = board.quotes.values().sum();
                            std::hint::black_box(total);
                            read += 1;
                        }
                    }
                    read
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    })
}

/// A day of trading on `threads` threads, `requests` each: every request places an order
/// (a write) and then reads the best price (a read). Returns the orders placed.
pub fn balanced_day(book: &OrderBook, threads: usize, requests: usize) -> usize {
    thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for i in 0..requests {
                    let price = 100 + ((i * 7 + t * 13) % 50) as u64;
                    book.with_write(|b| {
                        b.orders.push(price);
                        b.best = b.best.max(price);
                    });
                    std::hint::black_box(book.read().best);
                }
            });
        }
    });
    book.read().orders.len()
}

pub fn main() {
    let board = PriceBoard::default();
    let book = OrderBook::default();
    let quotes = read_mostly_day(&board, 4, 20_000);
    let orders = balanced_day(&book, 4, 10_000);
    println!("read {quotes} quotes and placed {orders} orders");

    #[cfg(feature = "profile")]
    {
        // Every lockwise lock counted itself; the rows come sorted by time waited. Look for
        // `PriceBoard`'s advice: "use `rw`". `OrderBook` gets none of that kind (four
        // threads on one lock may earn it "split this lock", which is right too).
        let report = lockwise::profile::report();
        for name in ["PriceBoard", "OrderBook"] {
            if let Some(row) = report.row(name) {
                match &row.advice {
                    Some(advice) => println!("{name}: {advice}"),
                    None => println!("{name}: no change advised"),
                }
            }
        }
    }
    #[cfg(not(feature = "profile"))]
    println!("run with `--features profile` to see which lock the profile says to change");
}
