//! Bar charts drawn on the server as SVG: one bar per month with its value
//! above it, a title and a description a screen reader reads, and the same
//! figures in a table beside it on the page.

/// Escapes text for SVG markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const BAR: u32 = 26;
const GAP: u32 = 6;
const PLOT: u32 = 120;
/// Room above the bars for their values, and below for the months.
const TOP: u32 = 14;
const BOTTOM: u32 = 16;

/// "From Mar 25 (120) to Mar 26 (150). Highest: 160 in Jan 26."
pub fn describe(bars: &[(String, u32)]) -> String {
    let (Some(first), Some(last)) = (bars.first(), bars.last()) else {
        return "No months to show.".to_owned();
    };
    let highest = bars.iter().rev().max_by_key(|(_, value)| *value).unwrap_or(last);
    format!("From {} ({}) to {} ({}). Highest: {} in {}.", first.0, first.1, last.0, last.1, highest.1, highest.0)
}

/// The SVG of a bar chart with `id` (for its title and description), one
/// bar per `(label, value)`, scaled to the highest value.
pub fn bar_chart(id: &str, title: &str, bars: &[(String, u32)]) -> String {
    let highest = bars.iter().map(|(_, value)| *value).max().unwrap_or(0).max(1);
    let width = bars.len() as u32 * (BAR + GAP) + GAP;
    let height = TOP + PLOT + BOTTOM;
    let mut svg = format!(
        "<svg class=\"gp-chart__svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(&describe(bars))
    );
    svg.push_str(&format!(
        "<line class=\"gp-chart__axis\" x1=\"0\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\"/>",
        y = TOP + PLOT
    ));
    for (i, (label, value)) in bars.iter().enumerate() {
        let x = GAP + i as u32 * (BAR + GAP);
        let bar = (u64::from(*value) * u64::from(PLOT) / u64::from(highest)) as u32;
        let y = TOP + PLOT - bar;
        let middle = x + BAR / 2;
        svg.push_str(&format!(
            "<rect class=\"gp-chart__bar\" x=\"{x}\" y=\"{y}\" width=\"{BAR}\" height=\"{bar}\"/>\
             <text class=\"gp-chart__value\" x=\"{middle}\" y=\"{}\" text-anchor=\"middle\">{value}</text>\
             <text class=\"gp-chart__label\" x=\"{middle}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            y.saturating_sub(3),
            height - 4,
            escape(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<(String, u32)> {
        vec![("Jan 26".into(), 40), ("Feb 26".into(), 80), ("Mar 26".into(), 20)]
    }

    #[test]
    fn the_tallest_bar_fills_the_plot_and_the_others_are_in_proportion() {
        let svg = bar_chart("uses", "Online uses", &bars());
        assert!(svg.contains(&format!("height=\"{PLOT}\"")), "80 is the highest: {svg}");
        assert!(svg.contains("height=\"60\"") && svg.contains("height=\"30\""), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 3);
    }

    #[test]
    fn a_chart_names_itself_and_says_what_it_shows_for_a_screen_reader() {
        let svg = bar_chart("uses", "Online uses & more", &bars());
        assert!(svg.contains("role=\"img\" aria-labelledby=\"uses-title uses-desc\""));
        assert!(svg.contains("<title id=\"uses-title\">Online uses &amp; more</title>"));
        assert!(svg.contains("From Jan 26 (40) to Mar 26 (20). Highest: 80 in Feb 26."));
    }

    #[test]
    fn a_chart_of_nothing_but_zeros_draws_flat_bars() {
        let zeros = vec![("Jan 26".to_owned(), 0), ("Feb 26".to_owned(), 0)];
        let svg = bar_chart("none", "Nothing yet", &zeros);
        assert_eq!(svg.matches("height=\"0\"").count(), 2);
        assert_eq!(describe(&[]), "No months to show.");
    }
}
