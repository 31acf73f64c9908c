//! `required`: the fields every visit needs, and a product for the channels that discuss one.

use crate::{
    validate::{Code, Detail, Finding},
    visit::{Channel, VisitFields},
};

pub fn check(f: &VisitFields, out: &mut Vec<Finding>) {
    let missing = |field: &str, ja: &'static str, en: &'static str| {
        Finding::new(Code::Required, field, &Detail::Field { ja, en })
    };
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&f.rep_id) {
        out.push(missing("/rep_id", "担当者", "The rep"));
    }
    if blank(&f.hcp_id) {
        out.push(missing("/hcp_id", "医師", "The HCP"));
    }
    if blank(&f.institution_id) {
        out.push(missing("/institution_id", "施設", "The institution"));
    }
    if f.channel.is_none() {
        out.push(missing("/channel", "面談形態", "The channel"));
    }
    if f.started_at.is_none() {
        out.push(missing("/started_at", "開始日時", "The start time"));
    }
    if f.duration_min.is_none() {
        out.push(missing("/duration_min", "面談時間", "The duration"));
    }
    let discusses = matches!(
        f.channel,
        Some(Channel::InPerson | Channel::Phone | Channel::Video | Channel::WebMeeting)
    );
    if discusses && f.products.is_empty() {
        out.push(missing("/products", "製品（1つ以上）", "At least one product"));
    }
}
