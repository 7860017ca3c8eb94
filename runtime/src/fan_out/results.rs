//! Putting the results of all workers back in input order.

/// What one worker produced: `(index in the input, result)`, indices increasing.
pub(super) type Finished<R> = Vec<(usize, R)>;

/// The results of every worker, in input order. The indices must be exactly `0..total`,
/// each once: true when no task failed, since every item taken then produced a result.
pub(super) fn in_input_order<R>(mut runs: Vec<Finished<R>>) -> Vec<R> {
    runs.retain(|run| !run.is_empty());
    if runs.len() <= 1 {
        // One worker ran everything, in order (always the case with a limit of 1).
        return runs
            .pop()
            .map_or_else(Vec::new, |run| run.into_iter().map(|(_, r)| r).collect());
    }
    let total = runs.iter().map(Vec::len).sum();
    let mut slots: Vec<Option<R>> = Vec::with_capacity(total);
    slots.resize_with(total, || None);
    for (index, result) in runs.into_iter().flatten() {
        debug_assert!(slots[index].is_none(), "item {index} ran twice");
        slots[index] = Some(result);
    }
    let ordered: Vec<R> = slots.into_iter().flatten().collect();
    debug_assert_eq!(ordered.len(), total, "an item has no result");
    ordered
}
