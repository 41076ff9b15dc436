//! `paragraf watch`, the e-mail digests of saved searches (issue #19, "Bevaka"), end to end: the
//! real binary over a small archive it indexes, sending to an SMTP sink started by the test
//! (`watch/smtp.rs`). Each run is a new process reading the state file the last one wrote.

mod smtp;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use smtp::{Captured, Mail, Security, Sink};

use crate::util::{cli, write_file};

/// A meeting of the Kommunstyrelsen with a cykelplan item and a budget item.
const KS_MARCH: &str = "Kommunstyrelsen\nProtokoll 2024-03-12\n\n\
§ 21 Cykelplan för Krokoms kommun\nDnr KS 2024/31\n\
Samhällsbyggnad har tagit fram en cykelplan för tätorterna med nya cykelvägar.\n\
Kommunstyrelsen beslutar att anta cykelplanen.\n\n\
§ 22 Budget 2025\n\
Ekonomichefen redovisar förslaget till budget för nästa år.\n\
Kommunstyrelsen beslutar att fastställa budgeten.\n";

/// A later meeting with a second cykelplan item.
const KS_MAY: &str = "Kommunstyrelsen\nProtokoll 2024-05-14\n\n\
§ 40 Uppföljning av cykelplanen\n\
Förvaltningen redovisar hur arbetet med cykelplanen går i Föllinge och Hotagen.\n\
Kommunstyrelsen beslutar att lägga redovisningen till handlingarna.\n\n\
§ 41 Val av justerare\n\
Kommunstyrelsen beslutar att utse Elin Ring att justera protokollet.\n";

/// An older meeting the archive receives late, with one cykelplan item.
const KS_LATE: &str = "Kommunstyrelsen\nProtokoll 2023-01-10\n\n\
§ 5 Motion om en cykelplan\n\
Jan Persson (C) har lämnat en motion om att ta fram en cykelplan.\n\
Kommunstyrelsen beslutar att bifalla motionen.\n";

/// The titles of the items a saved search for "cykelplan" finds in the first archive.
const FIRST_TITLES: [&str; 2] = ["Uppföljning av cykelplanen", "Cykelplan för Krokoms kommun"];

/// An archive of two meetings, indexed, and a configuration for the relay on `port`.
struct Setup {
    tmp: tempfile::TempDir,
    archive: PathBuf,
    index: PathBuf,
    config: PathBuf,
}

impl Setup {
    fn new(port: u16) -> Setup {
        let tmp = tempfile::tempdir().expect("temp dir");
        let archive = tmp.path().join("archive");
        write_file(&archive.join("kommunstyrelsen-2024-03-12.txt"), KS_MARCH);
        write_file(&archive.join("kommunstyrelsen-2024-05-14.txt"), KS_MAY);
        let index = tmp.path().join("index");
        let (_, err, code) = cli::index(&archive, &index);
        assert_eq!(code, 0, "{err}");
        let config = tmp.path().join("watch.toml");
        let setup = Setup {
            tmp,
            archive,
            index,
            config,
        };
        setup.write_config(port, "");
        setup
    }

    /// Writes the configuration for a relay on `port`; `smtp_extra` goes into `[smtp]`.
    fn write_config(&self, port: u16, smtp_extra: &str) {
        let text = format!(
            "base_url = \"https://paragraf.krokom.se\"\n\n\
             [smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n\
             from = \"Paragraf <paragraf@krokom.se>\"\n{smtp_extra}\n\
             [[search]]\nname = \"Cykelplan\"\nrecipients = [\"anna.berg@krokom.se\", \"Jan Ek <jan.ek@krokom.se>\"]\n\
             q = \"cykelplan\"\nbody = \"kommunstyrelsen\"\n\n\
             [[search]]\nname = \"Budget\"\nrecipients = \"ekonomi@krokom.se\"\nq = \"budget\"\n"
        );
        std::fs::write(&self.config, text).expect("write the configuration");
    }

    fn state(&self) -> PathBuf {
        self.tmp.path().join("watch.state.json")
    }

    /// Adds the late meeting to the archive and brings the index up to date.
    fn add_late_meeting(&self) {
        write_file(
            &self.archive.join("kommunstyrelsen-2023-01-10.txt"),
            KS_LATE,
        );
        let (out, err, code) = cli::index(&self.archive, &self.index);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("added 1 files"), "{out}");
    }

    fn watch(&self) -> Command {
        let mut cmd = cli::paragraf();
        cmd.arg("watch")
            .arg(&self.config)
            .arg("--index")
            .arg(&self.index)
            .env_remove("PARAGRAF_SMTP_PASSWORD")
            .env_remove("PARAGRAF_BASE_URL");
        cmd
    }

    /// `paragraf watch CONFIG --once`: stdout, stderr, exit code.
    fn once(&self) -> (String, String, i32) {
        let output = self
            .watch()
            .arg("--once")
            .output()
            .expect("run paragraf watch");
        (
            String::from_utf8(output.stdout).expect("UTF-8"),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            output.status.code().expect("exited by a signal"),
        )
    }
}

/// The one captured message of a search, read.
fn mail_to<'a>(messages: &'a [Captured], first_recipient: &str) -> (&'a Captured, Mail) {
    let found: Vec<&Captured> = messages
        .iter()
        .filter(|m| m.recipients.first().map(String::as_str) == Some(first_recipient))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one message to {first_recipient}: {messages:?}"
    );
    (found[0], Mail::read(&found[0].data))
}

/// The item titles a digest lists, in order: the lines "N. Title" of its text part.
fn titles(mail: &Mail) -> Vec<String> {
    mail.text
        .lines()
        .filter_map(|line| {
            let (n, title) = line.split_once(". ")?;
            n.parse::<usize>().ok().map(|_| title.to_string())
        })
        .collect()
}

#[test]
fn first_digest_then_nothing_then_exactly_a_late_meeting() {
    let sink = Sink::start();
    let setup = Setup::new(sink.port());
    setup.write_config(sink.port(), "user = \"paragraf\"\n");

    let output = setup
        .watch()
        .arg("--once")
        .env("PARAGRAF_SMTP_PASSWORD", "hemligt-lösen")
        .output()
        .expect("run");
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(0), "{out}\n{err}");
    assert_eq!(
        out,
        "sent \"Cykelplan\": 2 items\nsent \"Budget\": 1 item\n"
    );
    assert!(
        !err.contains("hemligt"),
        "the password is never logged: {err}"
    );
    let messages = sink.wait_for(2);
    assert_eq!(messages.len(), 2);

    let (envelope, mail) = mail_to(&messages, "anna.berg@krokom.se");
    assert_eq!(envelope.from, "paragraf@krokom.se");
    assert!(
        envelope
            .data
            .contains("\r\nAuto-Submitted: auto-generated\r\n"),
        "no automatic replies to a digest: {}",
        envelope.data
    );
    assert_eq!(
        envelope.recipients,
        ["anna.berg@krokom.se", "jan.ek@krokom.se"]
    );
    assert_eq!(envelope.auth.as_deref(), Some("\0paragraf\0hemligt-lösen"));
    assert_eq!(
        mail.subject,
        "Bevakning \u{201d}Cykelplan\u{201d}: 2 nya punkter"
    );
    assert_eq!(
        mail.to,
        "anna.berg@krokom.se, \"Jan Ek\" <jan.ek@krokom.se>"
    );
    assert_eq!(titles(&mail), FIRST_TITLES);
    assert!(
        mail.text.contains(
            "1. Uppföljning av cykelplanen\n   kommunstyrelsen · 2024-05-14 · § 40\n   Beslut: Kommunstyrelsen beslutar att lägga redovisningen till handlingarna.\n"
        ),
        "{}",
        mail.text
    );
    assert!(mail.text.contains(
        "   Läs punkten: https://paragraf.krokom.se/?item=kommunstyrelsen-2024-05-14.01\n"
    ));
    assert!(mail.text.contains(
        "Alla träffar för bevakningen: https://paragraf.krokom.se/?q=cykelplan&body=kommunstyrelsen&sort=date\n"
    ));
    for title in FIRST_TITLES {
        assert!(
            mail.html.contains(&format!("<strong>{title}</strong>")),
            "{}",
            mail.html
        );
    }
    let (envelope, mail) = mail_to(&messages, "ekonomi@krokom.se");
    assert_eq!(envelope.recipients, ["ekonomi@krokom.se"]);
    assert_eq!(mail.subject, "Bevakning \u{201d}Budget\u{201d}: 1 ny punkt");
    assert_eq!(titles(&mail), ["Budget 2025"]);

    // No new items: nothing is sent.
    let (out, err, code) = setup.once();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "nothing new for \"Cykelplan\"\nnothing new for \"Budget\"\n"
    );
    assert_eq!(sink.accepted().len(), 2);

    // An older meeting arrives late: its item is new, though its date is before the others.
    setup.add_late_meeting();
    let (out, err, code) = setup.once();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "sent \"Cykelplan\": 1 item\nnothing new for \"Budget\"\n"
    );
    let messages = sink.wait_for(3);
    assert_eq!(messages.len(), 3);
    let mail = Mail::read(&messages[2].data);
    assert_eq!(
        messages[2].recipients,
        ["anna.berg@krokom.se", "jan.ek@krokom.se"]
    );
    assert_eq!(
        mail.subject,
        "Bevakning \u{201d}Cykelplan\u{201d}: 1 ny punkt"
    );
    assert_eq!(titles(&mail), ["Motion om en cykelplan"]);
}

/// A `paragraf watch --every` process, killed when dropped.
struct Looping(Child);

impl Drop for Looping {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `paragraf watch --every 1s` and returns it once it finished `rounds` rounds (its log
/// says "watch round done").
fn looping(setup: &Setup, rounds: usize) -> Looping {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let log = setup.tmp.path().join(format!("watch-{run}.log"));
    let mut child = setup
        .watch()
        .args(["--every", "1s"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start paragraf watch --every");
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.matches("watch round done").count() >= rounds {
            return Looping(child);
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("paragraf watch --every stopped ({status}): {text}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no {rounds} rounds in 60 s: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_restart_between_two_digests_sends_nothing_twice() {
    let sink = Sink::start();
    let setup = Setup::new(sink.port());

    let first = looping(&setup, 2);
    drop(first);
    assert_eq!(
        sink.accepted().len(),
        2,
        "the first round sent both digests, the second nothing"
    );

    // A new process: the state file says what was sent.
    let second = looping(&setup, 2);
    assert_eq!(
        sink.accepted().len(),
        2,
        "nothing is sent twice after a restart"
    );

    // The running process sees the index change and sends the late meeting's item.
    setup.add_late_meeting();
    sink.wait_for(3);
    drop(second);
    let messages = sink.accepted();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(
        titles(&Mail::read(&messages[2].data)),
        ["Motion om en cykelplan"]
    );
}

#[test]
fn a_refusing_or_absent_relay_leaves_the_state_and_the_next_run_sends() {
    let sink = Sink::start();
    let setup = Setup::new(sink.port());
    let (_, err, code) = setup.once();
    assert_eq!(code, 0, "{err}");
    let state_before = std::fs::read(setup.state()).expect("the state file");

    setup.add_late_meeting();
    sink.refuse(true);
    let (out, err, code) = setup.once();
    assert_eq!(code, 1, "a digest not sent is exit code 1: {out}\n{err}");
    assert_eq!(
        out,
        format!(
            "not sent \"Cykelplan\" (tried again next run): the relay refused the digest (127.0.0.1:{}): permanent error (554): 5.7.1 message refused by policy\nnothing new for \"Budget\"\n",
            sink.port()
        )
    );
    assert_eq!(sink.refused(), 1);
    assert_eq!(
        std::fs::read(setup.state()).expect("state"),
        state_before,
        "state unchanged"
    );

    // No relay at all: a port nothing listens on.
    let closed = crate::util::http::free_port();
    setup.write_config(closed, "");
    let (out, _, code) = setup.once();
    assert_eq!(code, 1);
    assert!(
        out.starts_with(&format!(
            "not sent \"Cykelplan\" (tried again next run): the digest could not be handed to the relay (127.0.0.1:{closed}): "
        )) && out.ends_with("Connection refused (os error 111)\nnothing new for \"Budget\"\n"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(setup.state()).expect("state"),
        state_before,
        "state unchanged"
    );

    // The relay is back and accepts: the next run sends what was refused, once.
    setup.write_config(sink.port(), "");
    sink.refuse(false);
    let (out, err, code) = setup.once();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "sent \"Cykelplan\": 1 item\nnothing new for \"Budget\"\n"
    );
    let messages = sink.accepted();
    assert_eq!(messages.len(), 3);
    assert_eq!(
        titles(&Mail::read(&messages[2].data)),
        ["Motion om en cykelplan"]
    );
}

#[test]
fn a_bad_configuration_names_the_file_line_and_field() {
    let setup = Setup::new(1);
    let bad = |text: &str, wanted: &str| {
        std::fs::write(&setup.config, text).expect("write");
        let (out, err, code) = setup.once();
        assert_eq!((code, out.as_str()), (2, ""), "{err}");
        assert_eq!(
            err,
            format!("paragraf: {}: {wanted}\n", setup.config.display())
        );
    };
    let smtp = "[smtp]\nhost = \"127.0.0.1\"\nfrom = \"paragraf@krokom.se\"\n";
    bad(
        &format!("base_url = \"https://p.se\"\n{smtp}\n[[search]]\nname = \"x\"\nrecipients = \"a@b.se\"\nspeker = \"Elin Ring\"\n"),
        "line 9, column 10, field speker: speker: no such parameter; /api/search takes q, municipality, speaker, body, case_number (or dnr), from, to, sort, limit and offset",
    );
    bad(
        &format!("{smtp}prot = 25\n"),
        "line 4, column 1, field prot: unknown field `prot`, expected one of `host`, `port`, `security`, `user`, `password`, `from`, `ca_file`",
    );
    bad(
        "[smtp\n",
        "line 1, column 6, at `[smtp`: unclosed table, expected `]`",
    );
    // One of --once and --every must be given.
    let output = cli::paragraf()
        .arg("watch")
        .arg(&setup.config)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "the following required arguments were not provided:\n  <--once|--every <EVERY>>"
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let missing = setup.tmp.path().join("saknas.toml");
    let (_, err, code) = {
        let output = cli::paragraf()
            .args(["watch", "--once"])
            .arg(&missing)
            .output()
            .expect("run");
        (
            String::new(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            output.status.code().unwrap_or(-1),
        )
    };
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "paragraf: reading the watch configuration {}: ",
            missing.display()
        )),
        "{err}"
    );
    assert!(!Path::new(&setup.state()).exists(), "nothing was recorded");
}

/// A `paragraf serve` process, killed when dropped.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_server_sends_the_digests_linking_to_itself() {
    let sink = Sink::start();
    let setup = Setup::new(sink.port());
    // Without base_url the links go to the address the server listens on.
    let text = std::fs::read_to_string(&setup.config).expect("read");
    let text = text.replacen("base_url = \"https://paragraf.krokom.se\"\n", "", 1);
    std::fs::write(&setup.config, text).expect("write");
    let port = crate::util::http::free_port();
    let listen = format!("127.0.0.1:{port}");
    let _server = Serving(
        cli::paragraf()
            .arg("serve")
            .arg("--index")
            .arg(&setup.index)
            .arg("--archive")
            .arg(&setup.archive)
            .args(["--listen", &listen, "--watch-every", "1h", "--watch"])
            .arg(&setup.config)
            .env_remove("PARAGRAF_BASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start paragraf serve --watch"),
    );
    let messages = sink.wait_for(2);
    let (_, mail) = mail_to(&messages, "anna.berg@krokom.se");
    assert_eq!(titles(&mail), FIRST_TITLES);
    assert!(
        mail.text.contains(&format!(
            "   Läs punkten: http://{listen}/?item=kommunstyrelsen-2024-05-14.01\n"
        )),
        "{}",
        mail.text
    );
    let state = std::fs::read_to_string(setup.state()).expect("the server wrote the state");
    assert!(
        state.contains("\"kommunstyrelsen-2024-03-12.01\""),
        "{state}"
    );
}

#[test]
fn items_over_max_items_wait_for_the_next_digest() {
    let sink = Sink::start();
    let setup = Setup::new(sink.port());
    let text = std::fs::read_to_string(&setup.config).expect("read");
    std::fs::write(&setup.config, format!("max_items = 1\n{text}")).expect("write");

    let (out, err, code) = setup.once();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "sent \"Cykelplan\": 1 item\nsent \"Budget\": 1 item\n");
    let (_, mail) = mail_to(&sink.wait_for(2), "anna.berg@krokom.se");
    assert_eq!(titles(&mail), [FIRST_TITLES[0]]);
    assert!(
        mail.text
            .contains("\n1 punkt till kommer i nästa utskick.\n"),
        "{}",
        mail.text
    );

    let (out, err, code) = setup.once();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "sent \"Cykelplan\": 1 item\nnothing new for \"Budget\"\n"
    );
    let messages = sink.wait_for(3);
    let mail = Mail::read(&messages[2].data);
    assert_eq!(titles(&mail), [FIRST_TITLES[1]]);
    assert!(
        !mail.text.contains("till kommer i nästa utskick"),
        "{}",
        mail.text
    );
}

#[test]
fn a_digest_sends_only_items_with_every_word_unless_the_search_says_or() {
    let sink = Sink::start();
    let setup = Setup::new(sink.port());
    let text = format!(
        "base_url = \"https://paragraf.krokom.se\"\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"paragraf@krokom.se\"\n\n\
         [[search]]\nname = \"Båda orden\"\nrecipients = \"a@krokom.se\"\nq = \"cykelplan budget\"\n\n\
         [[search]]\nname = \"Något av orden\"\nrecipients = \"b@krokom.se\"\nq = \"cykelplan OR budget\"\n",
        sink.port()
    );
    std::fs::write(&setup.config, text).expect("write");
    // The API falls back to any word where no item has both; a digest does not.
    let api = crate::util::index::ids_of(
        &paragraf_query::Engine::open(&setup.index).expect("open"),
        &[("q", "cykelplan budget")],
    );
    assert_eq!(
        api.len(),
        3,
        "the API's fallback finds items with either word: {api:?}"
    );
    let (out, err, code) = setup.once();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "nothing new for \"Båda orden\"\nsent \"Något av orden\": 3 items\n"
    );
    let (_, mail) = mail_to(&sink.wait_for(1), "b@krokom.se");
    assert_eq!(
        mail.subject,
        "Bevakning \u{201d}Något av orden\u{201d}: 3 nya punkter"
    );
    assert_eq!(
        titles(&mail),
        [FIRST_TITLES[0], FIRST_TITLES[1], "Budget 2025"]
    );
}

/// Points the configuration at a relay on `localhost:port` with this security, trusting the
/// fixture CA when `trust`.
fn secure_config(setup: &Setup, port: u16, security: &str, trust: bool) {
    let ca = smtp::tls_fixtures().join("ca.pem");
    let extra = if trust {
        format!("ca_file = {:?}\n", ca.display().to_string())
    } else {
        String::new()
    };
    setup.write_config(
        port,
        &format!("user = \"paragraf\"\npassword = \"hemligt\"\n{extra}"),
    );
    let text = std::fs::read_to_string(&setup.config).expect("read");
    let text = text
        .replacen("host = \"127.0.0.1\"", "host = \"localhost\"", 1)
        .replacen(
            "security = \"none\"",
            &format!("security = \"{security}\""),
            1,
        );
    std::fs::write(&setup.config, text).expect("write");
}

#[test]
fn starttls_and_tls_relays_are_verified_and_never_skipped() {
    for (security, name) in [(Security::Starttls, "starttls"), (Security::Tls, "tls")] {
        let sink = Sink::with(security);
        let setup = Setup::new(sink.port());

        // A certificate of an unknown CA: nothing sent, nothing recorded.
        secure_config(&setup, sink.port(), name, false);
        let (out, _, code) = setup.once();
        assert_eq!(code, 1, "{name}: {out}");
        assert!(
            out.starts_with(&format!(
                "not sent \"Cykelplan\" (tried again next run): the digest could not be handed to the relay (localhost:{}): ",
                sink.port()
            )) && out.contains("invalid peer certificate: UnknownIssuer"),
            "{name}: {out}"
        );
        assert_eq!(sink.accepted().len(), 0);
        assert!(!setup.state().exists(), "{name}: nothing recorded");

        // With the CA as ca_file: sent over TLS, the password only inside it.
        secure_config(&setup, sink.port(), name, true);
        let (out, err, code) = setup.once();
        assert_eq!(code, 0, "{name}: {out}\n{err}");
        assert_eq!(
            out,
            "sent \"Cykelplan\": 2 items\nsent \"Budget\": 1 item\n"
        );
        let messages = sink.wait_for(2);
        let (envelope, mail) = mail_to(&messages, "anna.berg@krokom.se");
        assert!(envelope.tls, "{name}: the message came over TLS");
        assert_eq!(envelope.auth.as_deref(), Some("\0paragraf\0hemligt"));
        assert_eq!(titles(&mail), FIRST_TITLES);
    }

    // STARTTLS is required: a relay that does not offer it gets nothing, not a plain message.
    let plain = Sink::start();
    let setup = Setup::new(plain.port());
    secure_config(&setup, plain.port(), "starttls", true);
    let (out, _, code) = setup.once();
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(&format!(
            "not sent \"Cykelplan\" (tried again next run): the digest could not be handed to the relay (localhost:{}): ",
            plain.port()
        )),
        "{out}"
    );
    assert_eq!(plain.accepted().len(), 0);
}
