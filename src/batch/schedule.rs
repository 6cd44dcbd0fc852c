//! Scheduling a batch: the rows a worker fits ([`Job`]) and how rows are shared between the
//! calling thread and rayon's helpers ([`share`]).

#[cfg(feature = "parallel")]
use super::BatchFits;
use super::{BatchFitter, StartValues};
use crate::error::{Error, Result};
use crate::fit::{Bounds, Solver, Termination};
use crate::model::{Model, MAX_PARAMS};

/// Rows per unit of parallel work: about 60 µs of logistic fits at n = 10, so the last chunk
/// leaves little imbalance while the queue's lock is taken only once per chunk.
#[cfg(feature = "parallel")]
pub(super) const CHUNK: usize = 64;

/// Fits all rows on the calling thread and on helpers from rayon's pool, which take chunks of
/// at most [`CHUNK`] rows from a shared queue as they get there.
///
/// The caller starts at once instead of blocking until pool threads wake, a helper that comes
/// late takes fewer chunks, and a core that the host slows down (common on shared virtual
/// machines) takes fewer chunks too: the work follows the speed each core actually delivers.
/// In paired runs on the 2-core VM (serial and parallel alternated, 300 pairs of 10,000 fits)
/// the median speed-up over serial went from 1.20–1.54× with `par_chunks_mut` (caller blocked,
/// rows split up front) to 1.61–1.88×, and tracked the machine's own two-thread ceiling.
/// Shrinking the last chunks and waiting for the helper awake added a few percent more (four
/// alternated runs: medians 1.75–1.95× against 1.69–1.80×).
///
/// The borrow of the rows ends with the scope, so the caller, done with every chunk, still
/// waits until each helper has started (and found the queue empty): when the pool is busy
/// with other work, a small batch can take longer than serial. Batches under two chunks run
/// serially. Pinned to one core with two rayon threads (`taskset -c 0`, `RAYON_NUM_THREADS=2`),
/// the parallel path took as long as the serial one (medians 9.3–10.1 ms against 9.5–9.8 ms).
#[cfg(feature = "parallel")]
pub(super) fn share<'d, M, G>(
    job: &Job<'_, M, G>,
    out: &mut BatchFits,
    np: usize,
) -> Vec<(usize, Error)>
where
    M: Model + Clone,
    G: Fn(usize) -> (&'d [f64], &'d [f64]) + Sync,
{
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let count = out.rss.len();
    let threads = rayon::current_num_threads();
    // The rows not yet taken, and the index of the first of them.
    let queue = Mutex::new((0, out.rows_mut()));
    let errors = Mutex::new(Vec::new());
    // Helpers at work: the caller, done first, waits for them awake rather than asleep.
    let busy = AtomicUsize::new(0);
    let work = || loop {
        // The lock is held only to take the next chunk, never while fitting. Chunks shrink
        // as the queue drains (a share of what is left, between 8 and CHUNK rows), so that
        // the threads finish close together.
        let (first, rows) = {
            let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
            let left = q.1.rss.len();
            if left == 0 {
                break;
            }
            let take = (left / (2 * threads)).clamp(8, CHUNK).min(left);
            let first = q.0;
            q.0 += take;
            (first, q.1.split_front(take, np))
        };
        let mut found = job.rows(first, rows);
        if !found.is_empty() {
            errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .append(&mut found);
        }
    };
    // One thread per core in all: the caller and `threads - 1` helpers.
    let helpers = (threads - 1).min(count.div_ceil(CHUNK) - 1);
    rayon::in_place_scope(|s| {
        for _ in 0..helpers {
            s.spawn(|_| {
                // Counted out on drop, so that a panic in a user closure cannot leave the
                // caller waiting.
                struct Busy<'a>(&'a AtomicUsize);
                impl Drop for Busy<'_> {
                    fn drop(&mut self) {
                        self.0.fetch_sub(1, Ordering::AcqRel);
                    }
                }
                busy.fetch_add(1, Ordering::AcqRel);
                let _busy = Busy(&busy);
                work();
            });
        }
        work();
        // A helper still fitting its last chunk is done within about a chunk's time; waiting
        // for it awake saves the wake-up after it (tens of µs or more on a virtual machine).
        // After a short spin the caller yields, in case the helper shares its core. A helper
        // that has not started yet finds the queue empty: the scope waits for it.
        let mut spins = 0u32;
        while busy.load(Ordering::Acquire) > 0 {
            if spins < 4096 {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    });
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    errors.sort_unstable_by_key(|(i, _)| *i);
    errors
}

/// One batch's shared inputs, handed to every worker.
pub(super) struct Job<'a, M, G> {
    pub(super) fitter: &'a BatchFitter<M>,
    pub(super) model: &'a M,
    pub(super) bounds: Bounds,
    pub(super) anchor_each: bool,
    pub(super) what: &'a str,
    pub(super) get: &'a G,
}

/// A run of consecutive rows of the output.
pub(super) struct Rows<'a> {
    pub(super) params: &'a mut [f64],
    /// Empty when standard errors are not asked for.
    pub(super) std_errors: &'a mut [f64],
    pub(super) rss: &'a mut [f64],
    pub(super) iterations: &'a mut [u32],
    pub(super) evaluations: &'a mut [u32],
    pub(super) termination: &'a mut [Option<Termination>],
    pub(super) at_bound: &'a mut [bool],
}

#[cfg(feature = "parallel")]
impl<'a> Rows<'a> {
    /// Splits off the first `n` rows (`np` parameters per row), leaving the rest in `self`.
    fn split_front(&mut self, n: usize, np: usize) -> Rows<'a> {
        fn front<'a, T>(v: &mut &'a mut [T], n: usize) -> &'a mut [T] {
            let (head, tail) = std::mem::take(v).split_at_mut(n);
            *v = tail;
            head
        }
        let se = if self.std_errors.is_empty() {
            0
        } else {
            n * np
        };
        Rows {
            params: front(&mut self.params, n * np),
            std_errors: front(&mut self.std_errors, se),
            rss: front(&mut self.rss, n),
            iterations: front(&mut self.iterations, n),
            evaluations: front(&mut self.evaluations, n),
            termination: front(&mut self.termination, n),
            at_bound: front(&mut self.at_bound, n),
        }
    }
}

impl<'d, M, G> Job<'_, M, G>
where
    M: Model + Clone,
    G: Fn(usize) -> (&'d [f64], &'d [f64]) + Sync,
{
    /// Fits the rows `first..first + out.rss.len()` with one solver; returns their errors.
    pub(super) fn rows(&self, first: usize, out: Rows<'_>) -> Vec<(usize, Error)> {
        let f = self.fitter;
        let np = f.model.params().len();
        // Cloned once per worker and chunk, never per fit.
        let mut solver = Solver::new(self.model.clone()).options(f.options.clone());
        let mut start = [0.0; MAX_PARAMS];
        let start = &mut start[..np];
        let mut errors = Vec::new();
        for k in 0..out.rss.len() {
            let i = first + k;
            let (t, y) = (self.get)(i);
            let anchored;
            let model = if self.anchor_each {
                let mut m = self.model.clone();
                m.anchor(t);
                anchored = m;
                &anchored
            } else {
                self.model
            };
            let name = || format!("{} {i}", self.what);
            let result = solver
                .check_data(model, t, y, &name)
                .and_then(|()| self.start(model, t, y, start, &name))
                .and_then(|()| solver.fit_checked(model, t, y, start, &self.bounds, &name));
            let p = &mut out.params[k * np..(k + 1) * np];
            match result {
                Ok(fit) => {
                    p.copy_from_slice(fit.params());
                    if let Some(se) = fit.std_errors() {
                        out.std_errors[k * np..(k + 1) * np].copy_from_slice(se);
                    }
                    out.rss[k] = fit.rss;
                    out.iterations[k] = fit.iterations as u32;
                    out.evaluations[k] = fit.evaluations as u32;
                    out.termination[k] = Some(fit.termination);
                    out.at_bound[k] = fit.at_bound;
                }
                Err(e) => {
                    if let Some(stopped) = e.stopped() {
                        p.copy_from_slice(stopped.best);
                        out.rss[k] = stopped.rss;
                        out.iterations[k] = stopped.iterations as u32;
                        out.termination[k] = Some(stopped.reason);
                    }
                    errors.push((i, e));
                }
            }
        }
        errors
    }

    fn start(
        &self,
        model: &M,
        t: &[f64],
        y: &[f64],
        start: &mut [f64],
        name: &dyn Fn() -> String,
    ) -> Result<()> {
        let no_start = |reason: String| Error::NoStartValues {
            model: model.name().to_string(),
            series: name(),
            reason,
        };
        if let Some(v) = &self.fitter.options.start {
            start.copy_from_slice(v);
            return Ok(());
        }
        match &self.fitter.start {
            StartValues::Given(v) => start.copy_from_slice(v),
            StartValues::With(f) => f(t, y, start).map_err(no_start)?,
            StartValues::SelfStart => {
                let free = [None; MAX_PARAMS];
                let s = model
                    .self_start(t, y, &free[..start.len()])
                    .map_err(no_start)?;
                if s.len() != start.len() {
                    return Err(no_start(format!(
                        "self-start gave {} values for {} parameters",
                        s.len(),
                        start.len()
                    )));
                }
                start.copy_from_slice(&s);
            }
        }
        Ok(())
    }
}
