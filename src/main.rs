//! `shequ` (社区): draw and check urban community boundaries. One binary: the desktop app when run
//! without a command (on the given plan, or the bundled demo), the CLI's commands otherwise.

mod cli;

/// mimalloc rather than the system allocator: loading a city allocates and frees millions of
/// small objects (rings, footprints, ids), and glibc's malloc spent a quarter of the load in
/// `malloc_consolidate`, `_int_malloc` and `_int_free` (perf, 1M buildings). Built without
/// transparent huge pages (`no_thp`): memory freed and used again was cleared by the kernel two
/// megabytes at a time, up to a second of system time in a 1M-building check and never the same
/// twice (1.8–2.0 s with, 1.4–1.5 s without, and 10 % less memory).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// The bundled demo plan, where a checkout has it.
fn demo_plan() -> Option<PathBuf> {
    let relative = PathBuf::from("sample_data/nanchang-demo/plan.shequ.geojson");
    if relative.exists() {
        return Some(relative);
    }
    let built_in = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data/nanchang-demo/plan.shequ.geojson");
    built_in.exists().then_some(built_in)
}

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    if let Some(missing) = arguments.basemap.iter().find(|path| !path.is_file()) {
        eprintln!(
            "error: basemap `{}` does not exist: give the path of an .mbtiles or .pmtiles file",
            missing.display()
        );
        return ExitCode::from(cli::EXIT_BAD_INPUT);
    }
    let missing = arguments.plan.iter().find(|path| {
        let file = shequ_core::io::geopackage::geopackage_of(path)
            .map_or_else(|| path.to_path_buf(), |(file, _)| file);
        !file.exists()
    });
    let outcome = match (arguments.command, missing) {
        (Some(command), _) => cli::run(command),
        (None, Some(path)) => Err(anyhow::anyhow!(
            "`{}` is neither a command nor a plan or layer file (see `shequ --help`)",
            path.display()
        )),
        (None, None) => {
            let mut paths = arguments.plan;
            if paths.is_empty() {
                paths.extend(demo_plan());
            }
            shequ::app::run(paths, arguments.basemap).map(|()| ExitCode::SUCCESS)
        }
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", message_with_causes(&error));
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}

/// The error with each cause that its own text does not already quote (the core's errors name
/// their cause in their sentence; printing the chain as well said it twice).
fn message_with_causes(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}
