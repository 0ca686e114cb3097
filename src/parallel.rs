//! Work shared among the cores: independent items handed out in runs to one thread per core,
//! their results put back in item order whatever order the runs finish in. Reading links appeals
//! with it, measuring computes indicators with it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to every item of `items` on `threads` threads, in runs of `run` items taken
/// by whichever thread is free; the results in item order. A panic in `work` is a panic here.
pub fn in_item_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    run: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let runs: Vec<&[T]> = items.chunks(run.max(1)).collect();
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Vec<R>>> = runs.iter().map(|_| Mutex::new(Vec::new())).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, runs.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(part) = runs.get(index) else {
                        break;
                    };
                    let done: Vec<R> = part.iter().map(&work).collect();
                    if let Ok(mut slot) = results[index].lock() {
                        *slot = done;
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .flat_map(|slot| slot.into_inner().unwrap_or_default())
        .collect()
}

/// One thread per core.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_item_order_whatever_the_threads_and_runs() {
        let items: Vec<u32> = (0..1000).collect();
        for (threads, run) in [(1, 1), (2, 1), (2, 7), (3, 500), (8, 2000)] {
            let squares = in_item_order(&items, threads, run, |&x| x * x);
            assert_eq!(squares, items.iter().map(|&x| x * x).collect::<Vec<_>>());
        }
        assert!(in_item_order(&[] as &[u32], 2, 1, |&x| x).is_empty());
    }
}
