//! `edit_after_submit`: a submitted visit changes only through an amendment with a reason.

use super::Subject;
use crate::{
    validate::{Code, Context, Detail, Finding},
    visit::VisitStatus,
};

pub fn check(subject: Subject<'_>, ctx: &Context, out: &mut Vec<Finding>) {
    let Some(existing) = &ctx.existing else { return };
    if existing.status == VisitStatus::Draft {
        return;
    }
    let mut fields = subject.fields.clone();
    fields.normalize();
    let has_reason = subject.amendment_reason.is_some_and(|r| !r.trim().is_empty());
    if fields != existing.fields && !has_reason {
        out.push(Finding::new(Code::EditAfterSubmit, "", &Detail::None));
    }
}
