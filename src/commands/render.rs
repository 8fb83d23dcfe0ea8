//! `hmip-letter render`: one letter, or a batch of them.
//!
//! One findings file is rendered in this process. Several (or a folder) are
//! a batch, spread over worker processes by the library's `batch` module;
//! this command plans where each letter goes and reports as they finish.

use hmip_letter::error::Error;
use hmip_letter::load::Input;
use hmip_letter::output::{self, Output};
use hmip_letter::{Options, Pipeline, batch};

use super::Sink;
use crate::cli::{RenderArgs, usage_error};

/// Renders what the arguments name. `Ok(false)`: errors were reported.
pub(crate) fn run(args: RenderArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let options = args.formatting.options(&args.common.publishing)?;
    let is_batch = args.inputs.len() > 1
        || args.inputs.iter().any(|i| matches!(i, Input::Path(p) if p.is_dir()));
    if is_batch {
        return batch(args, options, sink);
    }
    let [input] = args.inputs.as_slice() else {
        return Err(usage_error("give a findings file to render"));
    };
    let setup = args.common.reading.setup();
    let read = setup.files();
    let output =
        output::resolve(input, args.output.as_ref(), options.format, &read).map_err(usage_error)?;
    let result = Pipeline::new(&setup)
        .and_then(|pipeline| Ok((pipeline.load_input(input)?, pipeline)))
        .and_then(|(loaded, pipeline)| {
            let exported = pipeline.export(&loaded, &options)?;
            let read: Vec<_> = read.into_iter().chain(loaded.files_read()).collect();
            output::write_outputs(&output, options.format, &exported.files, &read)?;
            Ok(exported.warnings)
        });
    let format = args.common.reading.diagnostics();
    match result {
        Ok(warnings) => {
            sink.diagnostics(&warnings, format);
            Ok(true)
        }
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), format);
            Ok(false)
        }
    }
}

/// Renders many findings files in parallel; `-o` names a folder.
fn batch(args: RenderArgs, options: Options, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let mut paths = Vec::new();
    for input in &args.inputs {
        match input {
            Input::Path(path) => paths.push(path.clone()),
            Input::Stdin => {
                return Err(usage_error("standard input (`-`) is for one letter at a time"));
            }
        }
    }
    let out_dir = match &args.output {
        None => None,
        Some(Output::Stdout) => {
            return Err(usage_error(
                "several letters cannot go to standard output: give -o FOLDER",
            ));
        }
        Some(Output::Path(dir)) if dir.is_file() => {
            return Err(usage_error(format!(
                "with several findings files, -o names a folder, and {} is a file",
                dir.display()
            )));
        }
        Some(Output::Path(dir)) => Some(dir.clone()),
    };
    let format = args.common.reading.diagnostics();
    let prepared = batch::expand(&paths).and_then(|expanded| {
        if let Some(dir) = &out_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        Ok(expanded)
    });
    let Some(expanded) = super::reported(prepared, format, sink) else {
        return Ok(false);
    };
    sink.diagnostics(&expanded.skipped, format);
    let jobs =
        batch::plan(&expanded.files, out_dir.as_deref(), options.format).map_err(usage_error)?;
    let at_once = args.jobs.map_or_else(batch::available_cores, |n| n.get());
    let split = batch::Split::new(at_once, jobs.len(), args.threads_per_worker.map(|n| n.get()));
    let settings = batch::Settings {
        setup: args.common.reading.setup(),
        options,
        worker_args: args.worker_args(),
    };
    sink.start_progress(jobs.len());
    let result = batch::run(&settings, &jobs, split, |_, outcome| {
        match outcome.result {
            Ok(warnings) => sink.diagnostics(&warnings, format),
            Err(error) => sink.diagnostics(&error.diagnostics(), format),
        }
        sink.advance();
    });
    sink.finish_progress();
    let summary = super::reported(result, format, sink)
        .map(|summary| batch::Summary { skipped: expanded.skipped.len(), ..summary });
    if let Some(summary) = &summary {
        sink.status(&summary.to_string());
    }
    Ok(summary.is_some_and(|s| s.all_written()))
}
