//! Writes N varied findings files into a folder, for trying batches:
//! `cargo run --release --example generate_letters -- 1000 letters/`

#[path = "../benches/generate.rs"]
mod generate;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(40);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "letters".into()));
    std::fs::create_dir_all(&dir).expect("the folder can be made");
    for i in 0..count {
        let path = dir.join(format!("letter-{i:04}.yaml"));
        std::fs::write(&path, generate::findings(i)).expect("the file can be written");
    }
    println!("wrote {count} findings files to {}", dir.display());
}
