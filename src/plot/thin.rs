//! What a chart of a long series draws: every observation is fitted, but a chart cannot show
//! more markers than it has pixel columns. Long series keep, in each pixel column, the lowest
//! and the highest observation of each marker style, so spikes and extremes stay visible, and
//! the caption says how many were drawn. Linear in the number of observations.

use super::scene::Mark;

/// Per pixel column, the indices of the lowest and the highest mark (if any).
type Columns = Vec<Option<(usize, usize)>>;

/// Thins `marks` to at most two per pixel column (`columns` buckets over their time span) and
/// marker style (shape and colour); returns the number of marks before thinning when it thinned,
/// `None` (marks untouched) when there are no more than `2 × columns` of them.
pub(super) fn thin_marks(marks: &mut Vec<Mark>, columns: usize) -> Option<usize> {
    let columns = columns.max(1);
    if marks.len() <= 2 * columns {
        return None;
    }
    let finite = || marks.iter().filter(|m| m.t.is_finite() && m.v.is_finite());
    let t0 = finite().map(|m| m.t).fold(f64::INFINITY, f64::min);
    let t1 = finite().map(|m| m.t).fold(f64::NEG_INFINITY, f64::max);
    let width = if t1 > t0 { t1 - t0 } else { 1.0 };
    // One row of (lowest, highest) mark indices per pixel column, per marker style.
    let mut styles: Vec<(Mark, Columns)> = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        if !(m.t.is_finite() && m.v.is_finite()) {
            continue; // never drawn anyway
        }
        let col = (((m.t - t0) / width * columns as f64) as usize).min(columns - 1);
        let row = match styles
            .iter()
            .position(|(s, _)| s.shape == m.shape && s.color == m.color)
        {
            Some(k) => k,
            None => {
                styles.push((m.clone(), vec![None; columns]));
                styles.len() - 1
            }
        };
        let cell = &mut styles[row].1[col];
        *cell = Some(match *cell {
            None => (i, i),
            Some((lo, hi)) => (
                if m.v < marks[lo].v { i } else { lo },
                if m.v > marks[hi].v { i } else { hi },
            ),
        });
    }
    let mut keep: Vec<usize> = styles
        .iter()
        .flat_map(|(_, cells)| cells.iter().flatten().flat_map(|&(lo, hi)| [lo, hi]))
        .collect();
    keep.sort_unstable();
    keep.dedup();
    let before = marks.len();
    let mut next = keep.into_iter().peekable();
    let mut i = 0;
    marks.retain(|_| {
        let kept = next.peek() == Some(&i);
        if kept {
            next.next();
        }
        i += 1;
        kept
    });
    Some(before)
}
