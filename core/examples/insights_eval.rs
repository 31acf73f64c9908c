//! Measures the notes suggestions on a labeled set (JSON lines: `id`, `notes`, `topics`, `adverse_event`,
//! `off_label`): precision and recall per topic and over all topics, and of the adverse-event and off-label
//! flags, with the ids of the adverse events missed and of those raised without one (with the cue that raised them).
//!
//! `cargo run --release -p mrc-core --example insights_eval -- tools/blind-notes/notes.jsonl [LEXICON.json]`

use std::collections::BTreeMap;

use mrc_core::insights::{suggest, Lexicon, TOPICS};
use serde::Deserialize;

#[derive(Deserialize)]
struct Labeled {
    id: String,
    notes: String,
    topics: Vec<String>,
    adverse_event: bool,
    off_label: bool,
}

/// True positives, false positives, false negatives.
#[derive(Default, Clone, Copy)]
struct Tally {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Tally {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    fn line(&self, name: &str) -> String {
        let ratio = |a: u32, b: u32| {
            if b == 0 {
                "   -  ".to_owned()
            } else {
                format!("{:5.1}%", 100.0 * f64::from(a) / f64::from(b))
            }
        };
        format!(
            "{name:<16} precision {}  recall {}  (tp {}, fp {}, fn {})",
            ratio(self.tp, self.tp + self.fp),
            ratio(self.tp, self.tp + self.fn_),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: insights_eval FILE.jsonl [LEXICON.json]";
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or(usage)?;
    let text = std::fs::read_to_string(&path)?;
    // Another lexicon (a candidate version) than the built-in one, read as master data would ship it.
    let other = args.next().map(std::fs::read_to_string).transpose()?;
    let lexicon = match &other {
        Some(json) => &Lexicon::from_json(json)?,
        None => Lexicon::builtin(),
    };
    let mut topics: BTreeMap<&str, Tally> = TOPICS.iter().map(|t| (*t, Tally::default())).collect();
    let (mut all, mut ae, mut off) = (Tally::default(), Tally::default(), Tally::default());
    let (mut missed, mut raised) = (Vec::new(), Vec::new());
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let labeled: Labeled = serde_json::from_str(line)?;
        let s = suggest(&labeled.notes, lexicon);
        for code in TOPICS {
            let predicted = s.topics.iter().any(|t| t.code == code);
            let actual = labeled.topics.iter().any(|t| t == code);
            topics.entry(code).or_default().add(predicted, actual);
            all.add(predicted, actual);
        }
        ae.add(s.adverse_event.is_some(), labeled.adverse_event);
        off.add(s.off_label.is_some(), labeled.off_label);
        if labeled.adverse_event && s.adverse_event.is_none() {
            missed.push(labeled.id.clone());
        }
        if let Some(flag) = s.adverse_event.as_ref().filter(|_| !labeled.adverse_event) {
            raised.push(format!("{}({})", labeled.id, flag.cue));
        }
        count += 1;
    }
    println!("{count} notes from {path}, lexicon version {}", lexicon.version);
    println!("{}", ae.line("adverse_event"));
    println!("{}", off.line("off_label"));
    println!("{}", all.line("topics (all)"));
    for (code, tally) in &topics {
        println!("  {}", tally.line(code));
    }
    println!("adverse events missed: {}", missed.join(" "));
    println!("adverse events raised without one: {}", raised.join(" "));
    Ok(())
}
