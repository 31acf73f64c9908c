//! HTTPS end to end: `mrc serve --tls-cert/--tls-key` with a certificate generated here, a device syncing with
//! `--ca-file`; a server whose certificate the device does not trust is refused before any byte of a visit goes.

use mrc_e2e::{mrc, Server};

use crate::sync::{server_with_master, visit_json, Device};

/// A self-signed certificate for 127.0.0.1, written as PEM files `NAME.crt` and `NAME.key` in `dir`.
fn certificate(dir: &std::path::Path, name: &str) -> (String, String) {
    let issued =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.join(format!("{name}.crt")), dir.join(format!("{name}.key")));
    std::fs::write(&cert, issued.cert.pem()).unwrap();
    std::fs::write(&key, issued.signing_key.serialize_pem()).unwrap();
    (
        cert.to_string_lossy().into_owned(),
        key.to_string_lossy().into_owned(),
    )
}

fn sync_over(device: &Device, url: &str, ca: Option<&str>) -> std::process::Output {
    let mut args = vec!["--db", device.db.as_str(), "--json", "sync", "--server", url];
    if let Some(ca) = ca {
        args.extend(["--ca-file", ca]);
    }
    mrc(&args).env("MRC_TOKEN", &device.token).output().unwrap()
}

#[test]
fn a_device_syncs_over_https_and_refuses_a_certificate_it_does_not_trust() {
    let dir = tempfile::tempdir().unwrap();
    // The store and master data as for plain HTTP; that server stops, and the same data is served over HTTPS.
    let plain = server_with_master(dir.path());
    let data = plain.data.clone();
    let device = Device::new(dir.path(), "tablet", &plain, "R1");
    drop(plain);
    let (cert, key) = certificate(dir.path(), "server");
    let (other_ca, _) = certificate(dir.path(), "other");
    let server = Server::start_with(&data, &["--tls-cert", &cert, "--tls-key", &key]);
    assert!(server.url.starts_with("https://127.0.0.1:"), "{}", server.url);

    let file = dir.path().join("visit.json");
    std::fs::write(&file, visit_json("R1")).unwrap();
    device.ok(&["visit", "add", &file.to_string_lossy()]);

    for (ca, why) in [
        (Some(other_ca.as_str()), "another CA"),
        (None, "the public roots"),
    ] {
        let refused = sync_over(&device, &server.url, ca);
        assert_eq!(
            refused.status.code(),
            Some(3),
            "no trusted answer, trusting {why}"
        );
        let stderr = String::from_utf8_lossy(&refused.stderr).to_lowercase();
        assert!(
            stderr.contains("certificate") || stderr.contains("issuer"),
            "{why}: {stderr}"
        );
    }
    let synced = sync_over(&device, &server.url, Some(&cert));
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!(report["pushed"], 1, "{report}");
}
