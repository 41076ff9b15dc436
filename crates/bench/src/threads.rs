//! One scoped thread per item, all running at once: the peers' concurrent COPYs and the
//! closed-loop load clients.
//!
//! Not a thread pool (rayon's would do for a map): a pool has a thread per core, and the load
//! levels need 64 clients truly at once on a 2-core machine.

/// Runs `f` on each item in a thread of its own and returns what each returned (or its
/// panic), in the order of `items`.
pub fn scoped_map<T, R>(
    items: impl IntoIterator<Item = T>,
    f: impl Fn(T) -> R + Sync,
) -> Vec<std::thread::Result<R>>
where
    T: Send,
    R: Send,
{
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| s.spawn(move || f(item)))
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items() {
        let got = scoped_map([3u64, 1, 2], |n| {
            std::thread::sleep(std::time::Duration::from_millis(n * 10));
            n * 10
        });
        let got: Vec<u64> = got.into_iter().map(|r| r.expect("no panic")).collect();
        assert_eq!(got, [30, 10, 20]);
    }
}
