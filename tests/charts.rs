//! Charts render on a machine without system fonts: the PNG decodes, has the requested size and
//! carries its title; SVG is well formed; errors are errors, not panics; and nothing links
//! fontconfig or freetype.
#![cfg(feature = "plot")]

use std::path::PathBuf;

use growthcast::plot::{
    fit_grid, plot_comparison, plot_fan, plot_fit, plot_projection, plot_recommendation,
    series_grid, ChartSpec, Fan, FanPath, Format,
};
use growthcast::{compare, recommend::RecommendOptions};
use growthcast::{io, Error, Exponential, Fitter, Kind, Linear, Logistic, Series};

fn tmp(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-charts");
    std::fs::create_dir_all(&dir).unwrap();
    // No file from an earlier run can stand in for one this run failed to write.
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// Decodes a PNG into (width, height, RGB bytes).
fn decode(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Dark pixels (luminance below 100) in a rectangle.
fn dark(rgb: &[u8], width: u32, x: (u32, u32), y: (u32, u32)) -> usize {
    let mut n = 0;
    for yy in y.0..y.1 {
        for xx in x.0..x.1 {
            let i = ((yy * width + xx) * 3) as usize;
            let l = 0.299 * f64::from(rgb[i])
                + 0.587 * f64::from(rgb[i + 1])
                + 0.114 * f64::from(rgb[i + 2]);
            if l < 100.0 {
                n += 1;
            }
        }
    }
    n
}

fn users() -> Series {
    io::read_series(data("genai_users.csv")).unwrap()
}

#[test]
fn png_decodes_has_the_requested_size_and_a_title() {
    let s = users();
    let fit = Fitter::new(Logistic).fix("K", 1.41e9).fit(&s).unwrap();
    let (w, h) = (900, 560);
    let path = tmp("users_title.png");
    let long = "Generative-AI users in China, with a ceiling at the population";
    plot_fit(
        &s,
        &fit,
        &ChartSpec::new().size(w, h).title(long).horizon(2030.0),
        &path,
    )
    .unwrap();
    let (pw, ph, rgb) = decode(&path);
    assert_eq!((pw, ph), (w, h));

    // The title sits in the top band (margin 18 px, 27 px text, at this size scaled by 0.78):
    // dark text there, and a blank strip above it.
    let band = (8, 38);
    let title_ink = dark(&rgb, w, (0, w), band);
    eprintln!("title area: {title_ink} dark pixels");
    assert!(
        title_ink > 400,
        "title area is blank: {title_ink} dark pixels"
    );
    assert_eq!(
        dark(&rgb, w, (0, w), (0, 6)),
        0,
        "the top margin is not blank"
    );

    // A one-letter title leaves far less ink there: what we saw is the title.
    let short = tmp("users_short.png");
    plot_fit(
        &s,
        &fit,
        &ChartSpec::new().size(w, h).title("I").horizon(2030.0),
        &short,
    )
    .unwrap();
    let (_, _, rgb2) = decode(&short);
    assert!(dark(&rgb2, w, (0, w), band) * 10 < title_ink);

    // The plot is not blank either: points, curve and bands leave colour in the middle.
    let colourful = rgb.chunks(3).filter(|p| p[0].abs_diff(p[2]) > 40).count();
    assert!(colourful > 5_000, "{colourful} coloured pixels");
}

#[test]
fn log_axis_comparison_and_fan_render() {
    let tokens = io::read_series(data("tokens_daily.csv")).unwrap();
    let exp = tokens.fit(Exponential::new()).unwrap();
    let lin = tokens.fit(Linear::new()).unwrap();
    let path = tmp("tokens_models.png");
    plot_comparison(
        &tokens,
        &[("exponential", &exp), ("linear", &lin)],
        &ChartSpec::new().size(800, 500).log_y(true).horizon(2031.0),
        &path,
    )
    .unwrap();
    assert_eq!(decode(&path).0, 800);

    let fan = Fan::new("dc", "kWh", (2024.0, 1.4e11), "ASSUMED base")
        .path(
            FanPath::constant_rate("medium", (2024.0, 1.4e11), (2030.0, 4e11), 25)
                .unwrap()
                .with_target(2030.0, 4e11, Kind::AtLeast),
        )
        .path(
            FanPath::constant_rate("high", (2024.0, 1.4e11), (2030.0, 7e11), 25)
                .unwrap()
                .with_target(2030.0, 7e11, Kind::AtLeast),
        );
    let path = tmp("fan.png");
    plot_fan(&fan, &ChartSpec::new().size(640, 400), &path).unwrap();
    assert_eq!(decode(&path).1, 400);
}

#[test]
fn svg_by_extension_or_on_request() {
    let s = users();
    let fit = s.fit(Exponential::new()).unwrap();
    let path = tmp("users.svg");
    plot_fit(&s, &fit, &ChartSpec::new().title("Users as SVG"), &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.trim_start().starts_with("<svg"), "{}", &text[..80]);
    assert!(text.contains("Users as SVG"));
    assert!(text.trim_end().ends_with("</svg>"));

    let forced = tmp("forced_svg.out");
    plot_fit(&s, &fit, &ChartSpec::new().format(Format::Svg), &forced).unwrap();
    assert!(std::fs::read_to_string(&forced).unwrap().contains("<svg"));
    // An explicit format wins over the extension, both ways.
    let svg_named_png = tmp("explicit_svg.png");
    plot_fit(
        &s,
        &fit,
        &ChartSpec::new().format(Format::Svg),
        &svg_named_png,
    )
    .unwrap();
    let text = std::fs::read_to_string(&svg_named_png).unwrap();
    assert!(text.trim_start().starts_with("<svg"), "{}", &text[..40]);
    let png_named_svg = tmp("explicit_png.svg");
    plot_fit(
        &s,
        &fit,
        &ChartSpec::new().format(Format::Png),
        &png_named_svg,
    )
    .unwrap();
    assert!(std::fs::read(&png_named_svg)
        .unwrap()
        .starts_with(b"\x89PNG"));
    assert_eq!(decode(&png_named_svg).0, 1200);
    assert_eq!(Format::from_path("a/b.SVG"), Format::Svg);
    assert_eq!(Format::from_path("a/b.png"), Format::Png);
}

#[test]
fn a_fit_without_degrees_of_freedom_draws_and_says_so() {
    // Two points, two parameters: NaN bands must not break the chart.
    let s = io::read_series(data("digital_economy_size.csv")).unwrap();
    let fit = s.fit(Exponential::new()).unwrap();
    assert_eq!(fit.dof(), 0);
    let path = tmp("no_dof.svg");
    plot_fit(&s, &fit, &ChartSpec::new().horizon(2030.0), &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("no band: uncertainty unknown"),
        "no caution on the chart"
    );
    assert!(text.contains("Caution:"));
    let png = tmp("no_dof.png");
    plot_fit(&s, &fit, &ChartSpec::new().horizon(2030.0), &png).unwrap();
    assert_eq!(decode(&png).0, 1200);
}

#[test]
fn projections_far_beyond_the_data_are_cut_and_the_caption_says_so() {
    let tokens = io::read_series(data("tokens_daily.csv")).unwrap();
    let exp = tokens.fit(Exponential::new()).unwrap();
    // The exponential reaches ~1e21 by 2030; the axis stays within two decades of the data.
    let path = tmp("tokens_cut.svg");
    plot_fit(&tokens, &exp, &ChartSpec::new().horizon(2030.99), &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("Cut at the top edge"),
        "no note about the cut"
    );
    for label in ["1e11", "1e12", "1e13", "1e14", "1e15"] {
        assert!(
            text.contains(&format!(">\n{label}\n<")) || text.contains(&format!(">{label}<")),
            "no tick {label}"
        );
    }
    assert!(
        !text.contains("1e20"),
        "the axis follows the projection to 1e21"
    );
}

#[test]
fn bad_requests_are_errors() {
    let s = users();
    let fit = s.fit(Exponential::new()).unwrap();
    let e = plot_fit(&s, &fit, &ChartSpec::new().size(0, 10), tmp("zero.png")).unwrap_err();
    assert!(matches!(e, Error::Plot { .. }), "{e}");
    assert!(e.to_string().contains("zero.png"), "{e}");
    let e = plot_fit(
        &s,
        &fit,
        &ChartSpec::new().log_y(true).y_range(-1.0, 10.0),
        tmp("neg.png"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("log axis"), "{e}");
    let e = plot_fit(&s, &fit, &ChartSpec::new(), tmp("no/such/dir/chart.png")).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
    let e = plot_comparison(&s, &[], &ChartSpec::new(), tmp("none.png")).unwrap_err();
    assert!(e.to_string().contains("no fits"), "{e}");
    let fan = Fan::new("empty", "kWh", (2024.0, 1.0), "base");
    assert!(plot_fan(&fan, &ChartSpec::new(), tmp("fan_empty.png")).is_err());
    assert!(FanPath::constant_rate("x", (2024.0, 0.0), (2030.0, 1.0), 5).is_err());
}

#[test]
fn a_chart_from_a_projection_is_the_chart_of_plot_fit_and_only_of_its_fit() {
    let s = users();
    let fit = s.fit(Exponential::new()).unwrap();
    let spec = ChartSpec::new().horizon(2028.0);
    // `plot_fit` is "project on the chart grid, then draw": the same bytes.
    let (a, b) = (tmp("users_fit.png"), tmp("users_projection.png"));
    plot_fit(&s, &fit, &spec, &a).unwrap();
    let p = fit.project(&fit_grid(&fit, &spec));
    plot_projection(&s, &fit, &p, &spec, &b).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // A projection of another fit, an empty one, or one out of time order is refused.
    let other = s.fit(Linear::new()).unwrap().project(&[2025.0, 2026.0]);
    let e = plot_projection(&s, &fit, &other, &spec, tmp("other.png")).unwrap_err();
    assert!(matches!(e, Error::Plot { .. }), "{e}");
    assert!(
        e.to_string().contains("not of the fit `exponential`"),
        "{e}"
    );
    let empty = fit.project(&[]);
    let e = plot_projection(&s, &fit, &empty, &spec, tmp("empty.png")).unwrap_err();
    assert!(e.to_string().contains("no points"), "{e}");
    let backwards = fit.project(&[2026.0, 2025.0]);
    let e = plot_projection(&s, &fit, &backwards, &spec, tmp("back.png")).unwrap_err();
    assert!(e.to_string().contains("increasing order"), "{e}");
    let nan = fit.project(&[f64::NAN]);
    let e = plot_projection(&s, &fit, &nan, &spec, tmp("nan.png")).unwrap_err();
    assert!(e.to_string().contains("finite times"), "{e}");
}

/// The bundled font is the only font: no fontconfig or freetype in the dependency tree or in
/// the linked binary.
#[test]
fn no_font_libraries() {
    let lock =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
            .unwrap();
    for name in ["font-kit", "freetype", "fontconfig", "servo-fontconfig"] {
        assert!(
            !lock.contains(&format!("name = \"{name}")),
            "Cargo.lock has {name}"
        );
    }
    // This test binary links the library with its charts; ask the dynamic loader what it needs.
    let exe = std::env::current_exe().unwrap();
    match std::process::Command::new("ldd").arg(&exe).output() {
        Ok(out) if out.status.success() => {
            let libs = String::from_utf8_lossy(&out.stdout).to_lowercase();
            assert!(!libs.contains("fontconfig"), "{libs}");
            assert!(!libs.contains("freetype"), "{libs}");
        }
        _ => eprintln!("ldd not available: skipped the linked-library check"),
    }
}

#[test]
fn a_recommendation_draws_as_png_and_svg_and_only_over_its_own_series() {
    let s = users();
    let spec = ChartSpec::new().size(900, 540).horizon(2030.0);
    let rec = compare::compare_standard(&s)
        .recommended(&series_grid(&s, &spec), &RecommendOptions::default())
        .unwrap();
    let png = tmp("users_recommended.png");
    plot_recommendation(&s, &rec, &spec, &png).unwrap();
    let (w, h, rgb) = decode(&png);
    assert_eq!((w, h), (900, 540));
    assert!(dark(&rgb, w, (0, w), (0, 40)) > 50, "no title drawn");
    let svg = tmp("users_recommended.svg");
    plot_recommendation(&s, &rec, &spec, &svg).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<svg") && text.contains("recommended projection"));
    for m in rec.member_labels() {
        assert!(text.contains(m), "the SVG does not name member {m}");
    }
    // The subtitle gives the naive path's weight in the prediction band's mixture (the line
    // may wrap before the number).
    let weight = format!("{:.0}%)", 100.0 * rec.drift.as_ref().unwrap().persisting);
    assert!(text.contains("mixed with the naive path, weight") && text.contains(&weight));

    // Another series' recommendation, or one whose members were changed, is refused.
    let tokens = io::read_series(data("tokens_daily.csv")).unwrap();
    let e = plot_recommendation(&tokens, &rec, &spec, tmp("wrong.png")).unwrap_err();
    assert!(
        matches!(&e, Error::Plot { message, .. } if message.contains("`genai_users`")),
        "{e}"
    );
    let mut altered = rec.clone();
    altered.members[0].projection.points.pop();
    let e = plot_recommendation(&s, &altered, &spec, tmp("altered.png")).unwrap_err();
    assert!(
        matches!(&e, Error::Plot { message, .. } if message.contains("other times")),
        "{e}"
    );
    assert!(!tmp("altered.png").exists());
}

/// A distribution across series draws as PNG (of the requested size, bars in the first colour)
/// and SVG (its title, the log-scale axis of ceilings spanning decades, the note of what is
/// not drawn); one with no finite value is an error that says so.
#[test]
fn a_distribution_draws_as_png_and_svg_and_an_empty_one_is_an_error() {
    use growthcast::plot::{plot_distribution, Distribution, DistributionGroup};
    // Ceilings from 50 to 5e6: five decades, binned on log10.
    let ks: Vec<f64> = (0..40).map(|i| 50.0 * 10f64.powf(i as f64 / 8.0)).collect();
    let gompertz = vec![3e3, 8e3, 2e4, f64::NAN];
    let d = Distribution::new("ceilings", "plants", 47)
        .group(DistributionGroup::new("logistic", "K", "g", ks))
        .group(DistributionGroup::new("gompertz", "K", "g", gompertz))
        .left_out(3, "chosen model exponential, which has no ceiling");
    let png = tmp("distribution.png");
    plot_distribution(&d, &ChartSpec::new().size(1000, 700), &png).unwrap();
    let (w, h, rgb) = decode(&png);
    assert_eq!((w, h), (1000, 700));
    let blue = rgb
        .chunks(3)
        .filter(|p| p[2] > 150 && p[0] < 80 && p[1] > 90 && p[1] < 150)
        .count();
    assert!(blue > 5_000, "bars in the first colour: {blue} pixels");
    let svg = tmp("distribution.svg");
    plot_distribution(&d, &ChartSpec::new(), &svg).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    for words in [
        "plants: ceilings of the chosen models across 47 series",
        "K (g), log scale",
        "logistic: 40 series, median",
        "gompertz: 3 series, median",
        "Not drawn: 3 series: chosen model exponential, which has no ceiling; 1 series of \
         gompertz: K not finite.",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    let empty = Distribution::new("growth rates", "plants", 1).group(DistributionGroup::new(
        "logistic",
        "r",
        "1/day",
        vec![f64::NAN],
    ));
    let err = plot_distribution(&empty, &ChartSpec::new(), tmp("empty.png")).unwrap_err();
    assert!(matches!(err, Error::Plot { .. }), "{err}");
    assert!(err.to_string().contains("no finite value"), "{err}");
}
