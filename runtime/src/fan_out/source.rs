//! The items, pulled lazily by the workers, one at a time, under a lock.

use parking_lot::Mutex;

use super::cancel::Cancel;

/// The input iterator, shared by the workers. Each item is taken with its index (its
/// place in the output) and only when a worker is ready to run it, so a long (or endless)
/// iterator is never collected up front, and after a failure nothing more is taken.
pub(super) struct Source<It> {
    state: Mutex<State<It>>,
    /// Most workers at once, the calling thread included.
    limit: usize,
}

struct State<It> {
    items: It,
    next_index: usize,
    /// Workers started so far, the calling thread included.
    workers: usize,
    /// Set while `next()` runs and kept when it returns `None` or panics: the iterator is
    /// then never called again (a panic may have left it broken; after `None` it may not
    /// be fused).
    done: bool,
}

/// An item taken from the source.
pub(super) struct Pulled<T> {
    pub(super) index: usize,
    pub(super) item: T,
    /// How many more workers the worker that took it should start: some while the limit
    /// is not reached and the iterator may have more items.
    pub(super) start_workers: usize,
}

impl<It: Iterator> Source<It> {
    /// A source with one worker started: the calling thread.
    pub(super) fn new(items: It, limit: usize) -> Self {
        Self {
            state: Mutex::new(State {
                items,
                next_index: 0,
                workers: 1,
                done: false,
            }),
            limit,
        }
    }

    /// The next item, or `None` once the iterator is exhausted or the fan-out cancelled.
    /// A panic in the iterator's `next()` propagates to the caller.
    pub(super) fn pull(&self, cancel: &Cancel) -> Option<Pulled<It::Item>> {
        if cancel.is_cancelled() {
            return None;
        }
        let mut state = self.state.lock();
        if state.done {
            return None;
        }
        state.done = true;
        let item = state.items.next()?;
        state.done = false;
        let index = state.next_index;
        state.next_index += 1;
        let start_workers = if state.workers < self.limit {
            // All at once (in practice by the calling thread, on the first item): threads
            // started one by one, each by the previous, were measured slower. `size_hint`
            // is asked only while the limit is not reached; its upper bound spares threads
            // that would find nothing to do.
            let left = state.items.size_hint().1.unwrap_or(usize::MAX);
            (self.limit - state.workers).min(left)
        } else {
            0
        };
        state.workers += start_workers;
        Some(Pulled {
            index,
            item,
            start_workers,
        })
    }

    /// The iterator with whatever it has not yielded, to be dropped by the caller.
    pub(super) fn into_inner(self) -> It {
        self.state.into_inner().items
    }
}
