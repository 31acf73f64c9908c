//! `uniffi-bindgen`, pinned to the workspace's uniffi version so the generated code always matches the library
//! (`scripts/bindings.sh` runs it as `uniffi-bindgen generate --library target/<profile>/libmrc_ffi.so …`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
