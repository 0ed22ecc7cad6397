// A permit is consumed by the one write it allows: it cannot open a second one.
use outlay_core::permit::{Permit, Transition};
use outlay_core::OrgId;
use outlay_store::{expenses, Write};

async fn misuse(w: &mut Write, approve: Permit<Transition>) {
    let _ = expenses::decide(w, OrgId(1), 7, None, approve).await;
    let _ = expenses::decide(w, OrgId(1), 7, None, approve).await;
}

fn main() {
    let _ = misuse;
}
