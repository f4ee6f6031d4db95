//! A scratch PostgreSQL cluster on 127.0.0.1 for one test: `initdb -A trust` in a
//! temporary folder, started with `pg_ctl`, stopped (and removed) on drop.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Scratch {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

/// The folder holding `initdb` and `pg_ctl`: on PATH, or Debian's versioned folder.
fn bin_dir() -> PathBuf {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").is_file() {
            return dir;
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").is_file()).collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions
        .pop()
        .expect("PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's `postgresql` (.ci/run does)")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// Runs a server binary; as root, as the `postgres` user, since the server refuses root.
fn run(bin: &Path, program: &str, args: &[&str]) {
    let out = command(bin, program, args);
    let out = out.unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn command(bin: &Path, program: &str, args: &[&str]) -> std::io::Result<std::process::Output> {
    let exe = bin.join(program);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    cmd.args(args).output()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

impl Scratch {
    pub fn start(name: &str) -> Scratch {
        let bin = bin_dir();
        let dir = std::env::temp_dir().join(format!("codegen-pg-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        if is_root() {
            let ok =
                Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().is_ok_and(|s| s.success());
            assert!(ok, "chown of the scratch folder to postgres failed");
        }
        let data = dir.join("data");
        let data_s = data.to_string_lossy().into_owned();
        run(&bin, "initdb", &["-D", &data_s, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions"]);
        let port = free_port();
        let opts = format!("-h 127.0.0.1 -p {port} -k {} -c fsync=off", dir.to_string_lossy());
        let log = dir.join("server.log").to_string_lossy().into_owned();
        run(&bin, "pg_ctl", &["-D", &data_s, "-o", &opts, "-l", &log, "-w", "-t", "60", "start"]);
        Scratch { dir, bin, port }
    }

    pub fn connect(&self) -> postgres::Client {
        let conn = format!("host=127.0.0.1 port={} user=postgres dbname=postgres", self.port);
        postgres::Client::connect(&conn, postgres::NoTls).expect("connect to the scratch server")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let data = self.dir.join("data").to_string_lossy().into_owned();
        // Best effort: a panic here, while a failed test unwinds, would abort the run.
        let _ = command(&self.bin, "pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
