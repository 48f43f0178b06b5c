//! The optional configuration file: `NAME=value` lines under the environment and the flags.

use std::process::{Command, Stdio};

use crate::helpers::{free_port, wait_ready, write};

fn server(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inscription-server"));
    command
        .args(args)
        .env_remove("PORT")
        .env_remove("DATA_DIR")
        .env_remove("CONFIG_FILE")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

#[tokio::test]
async fn the_file_configures_and_the_environment_wins_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let (from_file, from_env) = (free_port(), free_port());
    let file = dir.path().join("inscription.env");
    write(
        &file,
        format!(
            "# le serveur de test\nPORT={from_file}\nDATA_DIR={}\nDEMO_DATA=true\n",
            dir.path().join("data").display()
        ),
    );
    let file = file.to_str().unwrap();

    let mut child = server(&["--config-file", file, "serve"]).spawn().unwrap();
    wait_ready(&format!("http://127.0.0.1:{from_file}")).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        dir.path().join("data").exists(),
        "DATA_DIR comes from the file"
    );

    let mut child = server(&["serve"])
        .env("CONFIG_FILE", file)
        .env("PORT", from_env.to_string())
        .spawn()
        .unwrap();
    wait_ready(&format!("http://127.0.0.1:{from_env}")).await;
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_missing_file_stops_the_server_with_a_message() {
    let output = server(&["--config-file", "/nulle-part/inscription.env", "serve"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("fichier de configuration /nulle-part/inscription.env"),
        "{message}"
    );
}

#[test]
fn a_short_secret_key_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let output = server(&["serve"])
        .env("DATA_DIR", dir.path())
        .env("PORT", free_port().to_string())
        .env("SECRET_KEY", "trop-court")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("SECRET_KEY must be at least 32 bytes"),
        "{message}"
    );
}
