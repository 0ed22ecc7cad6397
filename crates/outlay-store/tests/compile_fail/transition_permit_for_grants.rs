// A permit to move an expense along one step cannot write anyone's grants.
use outlay_core::permit::{Permit, Transition};
use outlay_core::{MemberId, OrgId};
use outlay_store::{members, Write};

async fn misuse(w: &mut Write, approve: Permit<Transition>) {
    let _ = members::replace_grants(w, OrgId(1), MemberId(2), approve).await;
}

fn main() {
    let _ = misuse;
}
