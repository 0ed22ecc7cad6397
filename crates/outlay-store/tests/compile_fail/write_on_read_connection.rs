// A read connection writes nothing, permit or not.
use outlay_core::permit::{Permit, Transition};
use outlay_core::OrgId;
use outlay_store::{expenses, Read};

async fn misuse(read: &mut Read, approve: Permit<Transition>) {
    let _ = expenses::decide(read, OrgId(1), 7, None, approve).await;
}

fn main() {
    let _ = misuse;
}
