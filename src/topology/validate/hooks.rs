//! The `hooks:` section: each hook needs a command and, if it sets one, a usable timeout
//! (rules `empty-hook`, `bad-duration`), and no
//! character that hides what runs (`invisible-character`).

use super::Validator;
use crate::node_path;

impl Validator<'_> {
    pub(super) fn hooks(&mut self) {
        let t = self.t;
        for (event, hook) in &t.hooks {
            let base = node_path!["hooks", event.as_str()];
            let what = format!("the `{event}` hook command");
            if self.invisible_in(
                base.join("command"),
                &what,
                &hook.command,
                &['\n', '\t'],
                false,
            ) {
            } else if hook.command.trim().is_empty() {
                self.err_at_value(
                    base.join("command"),
                    "empty-hook",
                    format!("the `{event}` hook has an empty command"),
                )
                .hint = Some("give a shell command, or remove the hook".into());
            }
            if let Some(d) = &hook.timeout {
                match humantime::parse_duration(d) {
                    Err(_) => self.duration(base.join("timeout"), d),
                    Ok(z) if z.is_zero() => {
                        self.err_at_value(
                            base.join("timeout"),
                            "bad-duration",
                            format!("a hook timeout of {d:?} would kill the hook at once"),
                        )
                        .hint = Some("leave it out for the default (5m), or give e.g. `2m`".into());
                    }
                    Ok(_) => {}
                }
            }
        }
    }
}
