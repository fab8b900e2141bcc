//! Everything that touches the content folder on disk: which files there are
//! (`discover`), reading them as text (`read`), and splitting off their front matter
//! (`frontmatter`, with `yaml` reading YAML blocks). Nothing here knows what a
//! post-mortem means.

pub mod discover;
pub mod frontmatter;
pub mod history;
pub mod media;
pub mod read;
pub mod yaml;

pub use discover::{Discovered, discover};
pub use read::{read_text, stamp};
