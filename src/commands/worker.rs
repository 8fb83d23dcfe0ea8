//! The hidden `worker` subcommand's arguments, turned into the library's
//! options; what a worker does is `batch::worker`'s.

use hmip_letter::Diagnostic;
use hmip_letter::batch;
use hmip_letter::error::Error;

use crate::cli::WorkerArgs;

/// Serves the batch until its input ends.
pub(crate) fn run(args: &WorkerArgs) -> bool {
    let options = args.formatting.options(&args.common.publishing).map_err(|e| {
        // The batch prints what the worker says; say it as a message.
        let message = e.to_string().trim_start_matches("error: ").trim_end().to_string();
        Error::from(Diagnostic::error(message))
    });
    batch::worker::serve(&args.common.reading.setup(), options, args.threads.get())
}
