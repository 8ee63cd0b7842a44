//! What a page reads from its address.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The number in the path segment `name` (`/admin/patients/{patient}`); 0
/// when it is missing or not a number, which no record has, so the page
/// shows "not found".
pub fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).and_then(|id| id.parse::<i64>().ok()).unwrap_or(0)
}

/// The `?saved=…` a page comes back with after a change, which also makes
/// its data load again.
pub fn saved_param() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get("saved")
}
