//! The browser's part: the islands (the few interactive pieces of a page:
//! live slot lists, the error summary taking the focus, a form with a file).
//! Pages themselves are rendered on the server and swapped in place by the
//! islands router. Marks `<body data-hydrated>` once the WebAssembly runs, so
//! browser tests know the islands are about to wake.

// The islands are exported from the app crate; name it so it is linked in.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "");
    }
}
