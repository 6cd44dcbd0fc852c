//! Plain-text tables whose columns are as wide as their widest cell, so that long labels
//! ("logistic, K = population 1.41e9") and long numbers (`1.6440e-126`) never push a row out of
//! line.

/// How a column's cells are aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// A table: a header row and cells, rendered with an indent and two spaces between columns.
#[derive(Debug)]
pub(crate) struct Table {
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers and alignments.
    pub(crate) fn new(columns: &[(&str, Align)]) -> Self {
        Self {
            align: columns.iter().map(|c| c.1).collect(),
            rows: vec![columns.iter().map(|c| c.0.to_string()).collect()],
        }
    }

    /// Adds a row. A row with fewer cells than columns is a note: its last cell runs on
    /// unaligned and does not widen its column.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table, one line per row, each line starting with `indent` and ending in a newline.
    pub(crate) fn render(&self, indent: &str) -> String {
        let n = self.align.len();
        let mut width = vec![0usize; n];
        for r in &self.rows {
            let counted = if r.len() < n {
                r.len().saturating_sub(1)
            } else {
                r.len()
            };
            for (w, c) in width.iter_mut().zip(&r[..counted]) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = String::new();
        for r in &self.rows {
            let mut line = String::from(indent);
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = width
                    .get(i)
                    .map_or(0, |w| w.saturating_sub(c.chars().count()));
                match self.align.get(i) {
                    Some(Align::Right) => {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(c);
                    }
                    _ => {
                        line.push_str(c);
                        if i + 1 < r.len() {
                            line.extend(std::iter::repeat_n(' ', pad));
                        }
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_take_the_width_of_their_widest_cell() {
        let mut t = Table::new(&[("model", Align::Left), ("value", Align::Right)]);
        t.row(vec![
            "logistic, K = population 1.41e9".into(),
            "1.0e9".into(),
        ]);
        t.row(vec!["linear".into(), "1.6440e-126".into()]);
        t.row(vec![
            "gompertz".into(),
            "not fitted: a long reason that runs on".into(),
        ]);
        let text = t.render("  ");
        let lines: Vec<&str> = text.lines().collect();
        // Every value ends in the same column.
        let ends: Vec<usize> = lines[..3].iter().map(|l| l.chars().count()).collect();
        assert!(ends.iter().all(|&e| e == ends[0]), "{text}");
        assert!(lines[2].starts_with("  linear "), "{text}");
    }
}
