//! What the types forbid, checked by compiling it: a permit of one kind offered to a write
//! of another kind, a permit used again after its write consumed it, and a write on a read
//! connection. Each file in `compile_fail/` must fail to compile with its `.stderr`.

#[test]
fn misused_permits_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
