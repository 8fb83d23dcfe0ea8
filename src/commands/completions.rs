//! `hmip-letter completions SHELL` and `hmip-letter man`: what a shell and
//! `man` need, made from the same command line definition as `--help`, so
//! they never fall behind it.

use clap::CommandFactory;
use hmip_letter::Diagnostic;
use hmip_letter::error::Error;
use hmip_letter::output;

use super::Sink;
use crate::cli::{Cli, CompletionsArgs};

/// Prints the completion script for a shell.
pub(crate) fn completions(args: CompletionsArgs, sink: &mut dyn Sink) -> bool {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "hmip-letter", &mut script);
    super::report_result(output::write_stdout(&script), sink)
}

/// Prints the manual page, with a section for every subcommand.
pub(crate) fn man(sink: &mut dyn Sink) -> bool {
    super::report_result(page().and_then(|page| output::write_stdout(&page)), sink)
}

/// The manual page in roff.
pub(crate) fn page() -> Result<Vec<u8>, Error> {
    let failed = |e: std::io::Error| {
        Error::from(Diagnostic::error(format!("the manual page could not be made: {e}")))
    };
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page).map_err(failed)?;
    // Each subcommand's usage and options, as sub-sections of its own
    // section, so `man` shows every option of every command.
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("hmip-letter {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(&name));
        let mut section = Vec::new();
        man.render_description_section(&mut section).map_err(failed)?;
        man.render_synopsis_section(&mut section).map_err(failed)?;
        man.render_options_section(&mut section).map_err(failed)?;
        let section = String::from_utf8_lossy(&section).replace("\n.SH ", "\n.SS ");
        let section = section.strip_prefix(".SH ").map_or(section.clone(), |s| format!(".SS {s}"));
        page.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        page.extend_from_slice(section.as_bytes());
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap_complete::Shell;

    fn visible(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
        command.get_subcommands().filter(|s| !s.is_hide_set())
    }

    #[test]
    fn every_shells_script_completes_every_subcommand() {
        let command = Cli::command();
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hmip-letter", &mut script);
            let script = String::from_utf8(script).unwrap();
            for sub in visible(&command) {
                assert!(script.contains(sub.get_name()), "{shell}: no {}", sub.get_name());
            }
            assert!(script.contains("diagnostic-format"), "{shell}");
        }
    }

    #[test]
    fn the_manual_names_every_option_of_every_command() {
        let page = String::from_utf8(page().unwrap()).unwrap();
        let command = Cli::command();
        for sub in visible(&command) {
            let heading = format!(".SH \"HMIP-LETTER {}\"", sub.get_name().to_uppercase());
            assert!(page.contains(&heading), "no section {heading}");
            for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
                if let Some(long) = arg.get_long() {
                    // roff writes `-` as `\-`.
                    let written = format!("\\-\\-{}", long.replace('-', "\\-"));
                    assert!(page.contains(&written), "{}: no --{long}", sub.get_name());
                }
            }
        }
    }

    #[test]
    fn every_option_says_what_it_does() {
        let command = Cli::command();
        for sub in visible(&command) {
            assert!(sub.get_about().is_some(), "{} has no help", sub.get_name());
            for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
                let documented = arg.get_help().is_some() || arg.get_id() == "help";
                assert!(documented, "{} {} has no help", sub.get_name(), arg.get_id());
            }
        }
    }
}
