//! The house table style, shared by the CLI's printer and the drill report: boxed
//! UTF-8 on a terminal, Markdown-compatible ASCII elsewhere (pipes, files, CI logs).

use comfy_table::{presets, ContentArrangement, Table};

/// An empty table with `header`, styled for a terminal or not.
pub fn styled(header: &[&str], terminal: bool) -> Table {
    let mut t = Table::new();
    if terminal {
        t.load_style(presets::UTF8_FULL_CONDENSED);
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.load_style(presets::ASCII_MARKDOWN);
    }
    t.set_header(header.iter().copied());
    t
}
