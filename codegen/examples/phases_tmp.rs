use std::time::Instant;
fn main() {
    let dir = std::path::Path::new("/work/shared/specs");
    let files = codegen::read::SpecFiles::corpus(dir).unwrap();
    let what = std::env::args().nth(1).unwrap_or_default();
    for _ in 0..3 {
        let t = Instant::now();
        if what == "parse" {
            let all: Vec<_> = files.all().cloned().collect();
            codegen::read::map_files(&all, |f, t| codegen::read::json::parse(f, t).map(drop)).unwrap();
            eprintln!("parse {:?}", t.elapsed());
            continue;
        }
        let mut model = codegen::read::read_files(dir, &files).unwrap();
        eprintln!("read all {:?}", t.elapsed());
        if what == "read" { continue; }
        let t = Instant::now();
        codegen::passes::run(&mut model).unwrap();
        eprintln!("passes {:?}", t.elapsed());
    }
}
