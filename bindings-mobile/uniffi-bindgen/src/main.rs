//! `uniffi-bindgen`, pinned to the uniffi version of `kinerja-mobile`.
//!
//! Built on its own (`cargo build -p kinerja-uniffi-bindgen`), never together with
//! the mobile library: building both in one cargo invocation unifies uniffi's
//! features and bloats the library. Run it from the workspace root in library mode:
//! `target/debug/uniffi-bindgen generate --library target/debug/libkinerja_mobile.so
//! --language kotlin --out-dir ...` (see `bindings-mobile/scripts/generate.sh`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
