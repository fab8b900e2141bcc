//! The integration tests, in one binary (one link instead of sixteen): each module
//! runs the real `incidentbook` binary, or the library, on books written for it or
//! on real archives. `common` holds the fixtures' helpers.

mod common;

mod archives;
mod browser_a11y;
mod browser_search;
mod browser_serve;
mod browser_visual;
mod build;
mod build_cache;
mod check;
mod cli;
mod counts;
mod editions;
mod first_hour;
mod insights;
mod layering;
mod links;
mod lint;
mod parse_props;
mod plurals;
mod relevance;
mod search;
mod security;
mod serve;
mod serve_rebuild;
mod similar;
mod static_search;
