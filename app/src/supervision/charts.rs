//! Charts drawn on the server as SVG: readable on a phone, no JavaScript, and with the
//! numbers written out, so the chart is never the only way to read them.

use leptos::prelude::*;

/// Horizontal bars, one per row: the label above the bar, the value after it. `title`
/// names the chart for screen readers; the same numbers also stand in a table nearby.
#[component]
pub fn BarChart(title: String, bars: Vec<(String, f64)>, #[prop(optional)] suffix: &'static str) -> impl IntoView {
    const WIDTH: f64 = 320.0;
    const ROW: f64 = 34.0;
    let max = bars.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max).max(1.0);
    let height = ROW * bars.len() as f64 + 4.0;
    let label = title.clone();
    view! {
        <svg
            class="chart"
            role="img"
            aria-label=label
            viewBox=format!("0 0 {WIDTH} {height}")
            width="100%"
            preserveAspectRatio="xMinYMin meet"
            xmlns="http://www.w3.org/2000/svg"
        >
            <title>{title}</title>
            {bars.into_iter().enumerate().map(|(i, (label, value))| {
                let y = i as f64 * ROW;
                let w = (value / max * (WIDTH - 70.0)).max(if value > 0.0 { 2.0 } else { 0.0 });
                let shown = if value.fract() == 0.0 { format!("{value:.0}{suffix}") } else { format!("{value:.1}{suffix}") };
                view! {
                    <g>
                        <text x="0" y=format!("{:.1}", y + 12.0) class="chart-label">{label}</text>
                        <rect x="0" y=format!("{:.1}", y + 16.0) width=format!("{w:.1}") height="12" class="chart-bar" />
                        <text x=format!("{:.1}", w + 4.0) y=format!("{:.1}", y + 27.0) class="chart-value">{shown}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
