//! `hmip-letter worker` (hidden): one process of a batch. The work is the
//! library's (`batch::worker`); this turns the arguments the batch gave it
//! into the library's options.

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
    batch::worker::serve(&args.common.setup.setup(), options, args.threads.get())
}
