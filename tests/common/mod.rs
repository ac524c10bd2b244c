//! What the binary tests share: a throwaway directory to run `crmaudit` (and the
//! generator) in, and the parts of a finished run.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let (program, args) = match args.split_first() {
            // The generator is its own development binary.
            Some((&"generate", rest)) => (env!("CARGO_BIN_EXE_crmaudit-gen"), rest),
            _ => (env!("CARGO_BIN_EXE_crmaudit"), args),
        };
        Command::new(program)
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
