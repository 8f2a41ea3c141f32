//! The file a configuration was read from, remembered for a reload: its path, and a
//! digest of each part that only a restart applies (everything but `[[applications]]`
//! and `[[routes]]`), so that a reload can name the parts whose change it did not apply
//! without keeping a copy of the secrets the file may hold.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The top-level keys a reload applies: the rights catalogue and the routes (with what
/// hangs off them: methods, levels, contexts, timeouts and step-up of each route).
pub const RELOADABLE: [&str; 2] = ["applications", "routes"];

/// Where a configuration came from (see the module comment).
#[derive(Clone)]
pub struct ConfigFile {
    path: PathBuf,
    restart_only: BTreeMap<String, [u8; 32]>,
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl ConfigFile {
    /// The file at `path` whose (already parsed) text is `text`.
    pub(super) fn new(path: &Path, text: &str) -> Self {
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let restart_only = table
            .iter()
            .filter(|(key, _)| !RELOADABLE.contains(&key.as_str()))
            .map(|(key, value)| {
                let digest: [u8; 32] = Sha256::digest(value.to_string().as_bytes()).into();
                (key.clone(), digest)
            })
            .collect();
        Self {
            path: path.to_path_buf(),
            restart_only,
        }
    }

    /// The file's path, as the gateway was started with it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The top-level keys outside [`RELOADABLE`] that differ in `newer` (changed,
    /// added or removed), in order: what only a restart applies.
    pub fn needs_restart(&self, newer: &ConfigFile) -> Vec<String> {
        let mut keys: Vec<String> = self
            .restart_only
            .keys()
            .chain(newer.restart_only.keys())
            .filter(|k| self.restart_only.get(*k) != newer.restart_only.get(*k))
            .cloned()
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_parts_outside_the_catalogue_and_routes_need_a_restart() {
        let path = Path::new("/etc/gateway.toml");
        let old = ConfigFile::new(
            path,
            "secret_key = \"a\"\n[server]\nlisten = \"127.0.0.1:1\"\n[[routes]]\nprefix = \"/a\"\n",
        );
        let same = ConfigFile::new(
            path,
            "secret_key = \"a\"\n[server]\nlisten = \"127.0.0.1:1\"\n[[routes]]\nprefix = \"/b\"\n\
             [[applications]]\nid = \"x\"\n",
        );
        assert!(old.needs_restart(&same).is_empty());
        let moved = ConfigFile::new(
            path,
            "secret_key = \"b\"\n[server]\nlisten = \"127.0.0.1:2\"\n[admin]\noperators = []\n",
        );
        assert_eq!(old.needs_restart(&moved), ["admin", "secret_key", "server"]);
        assert!(!format!("{old:?}").contains("restart_only"));
    }
}
