//! The in-memory decision index: for each person, their grants as small fixed-size
//! entries sorted by (structure, right, service), with interned ids. One decision is
//! three hash lookups and a binary search over one person's entries, with no allocation.
//!
//! Its semantics are the casbin model's ([`crate::casbin_model`]); the tests check both
//! agree. It also checks `valid_until` at decision time, so an expired grant stops
//! working at once, before any reload removes it.

use std::collections::HashMap;

/// Service slot of an entry that covers the whole structure.
const WHOLE: u32 = 0;

/// One grant of a right in one domain (a structure, or one service of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    structure: u32,
    right: u32,
    service: u32,
    valid_until: i64,
}

/// A catalogue right as the index needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CatalogueRight {
    pub id: String,
    pub application: String,
    pub level: String,
}

/// One currently valid grant in one domain, as read from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GrantRow {
    pub user: String,
    pub structure: String,
    pub right_id: String,
    /// `None`: the whole structure.
    pub service: Option<String>,
    pub valid_until: Option<i64>,
}

impl GrantRow {
    /// A row owning the fields a grant reader lends.
    pub(crate) fn of(
        user: &str,
        structure: &str,
        right_id: &str,
        service: Option<&str>,
        valid_until: Option<i64>,
    ) -> Self {
        Self {
            user: user.to_owned(),
            structure: structure.to_owned(),
            right_id: right_id.to_owned(),
            service: service.map(str::to_owned),
            valid_until,
        }
    }
}

/// Sizes, for the benchmark and the logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// People with at least one grant.
    pub users: usize,
    /// Grant entries (one per grant and service).
    pub entries: usize,
    /// Structures seen.
    pub structures: usize,
    /// Catalogue rights.
    pub rights: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    structures: HashMap<Box<str>, u32>,
    /// Service ids are unique across structures; slot 0 is [`WHOLE`].
    services: HashMap<Box<str>, u32>,
    right_ids: HashMap<Box<str>, u32>,
    /// application -> level -> right slot.
    apps: HashMap<Box<str>, HashMap<Box<str>, u32>>,
    users: HashMap<Box<str>, Box<[Entry]>>,
    entries: usize,
    next_expiry: i64,
}

impl Index {
    pub(crate) fn new() -> Self {
        Self {
            next_expiry: i64::MAX,
            ..Self::default()
        }
    }

    /// Learn the catalogue (rights are only ever added; slots stay stable).
    pub(crate) fn set_catalogue(&mut self, rights: &[CatalogueRight]) {
        for r in rights {
            let next = u32::try_from(self.right_ids.len()).unwrap_or(u32::MAX);
            let slot = *self.right_ids.entry(r.id.as_str().into()).or_insert(next);
            self.apps
                .entry(r.application.as_str().into())
                .or_default()
                .insert(r.level.as_str().into(), slot);
        }
    }

    fn intern(map: &mut HashMap<Box<str>, u32>, key: &str, first: u32) -> u32 {
        if let Some(&v) = map.get(key) {
            return v;
        }
        let v = first + u32::try_from(map.len()).unwrap_or(u32::MAX - first);
        map.insert(key.into(), v);
        v
    }

    /// The entry for one grant row, interning its ids; `None` for a right unknown to
    /// the catalogue.
    fn entry(
        &mut self,
        structure: &str,
        right_id: &str,
        service: Option<&str>,
        valid_until: Option<i64>,
    ) -> Option<Entry> {
        let right = *self.right_ids.get(right_id)?;
        let structure = Self::intern(&mut self.structures, structure, 0);
        let service = match service {
            Some(s) => Self::intern(&mut self.services, s, 1),
            None => WHOLE,
        };
        let valid_until = valid_until.unwrap_or(i64::MAX);
        if valid_until != i64::MAX {
            self.next_expiry = self.next_expiry.min(valid_until);
        }
        Some(Entry {
            structure,
            right,
            service,
            valid_until,
        })
    }

    fn install(&mut self, user: &str, mut entries: Vec<Entry>) {
        entries.sort_unstable();
        entries.dedup();
        let old = if entries.is_empty() {
            self.users.remove(user)
        } else {
            self.users.insert(user.into(), entries.into_boxed_slice())
        };
        self.entries -= old.map_or(0, |o| o.len());
        self.entries += self.users.get(user).map_or(0, |e| e.len());
    }

    /// Replace everything one person holds with `rows` (all must be theirs). Rows for
    /// rights unknown to the catalogue are dropped.
    pub(crate) fn set_user(&mut self, user: &str, rows: &[GrantRow]) {
        let entries: Vec<Entry> = rows
            .iter()
            .filter_map(|r| {
                self.entry(
                    &r.structure,
                    &r.right_id,
                    r.service.as_deref(),
                    r.valid_until,
                )
            })
            .collect();
        self.install(user, entries);
    }

    /// Drop entries that expired at `now_ms` (decisions already ignore them).
    pub(crate) fn prune(&mut self, now_ms: i64) {
        let mut next = i64::MAX;
        let mut count = 0usize;
        self.users.retain(|_, entries| {
            if entries.iter().any(|e| e.valid_until <= now_ms) {
                let kept: Vec<Entry> = entries
                    .iter()
                    .copied()
                    .filter(|e| e.valid_until > now_ms)
                    .collect();
                *entries = kept.into_boxed_slice();
            }
            for e in entries.iter() {
                if e.valid_until != i64::MAX {
                    next = next.min(e.valid_until);
                }
            }
            count += entries.len();
            !entries.is_empty()
        });
        self.entries = count;
        self.next_expiry = next;
    }

    /// The earliest `valid_until` still in the index (`i64::MAX`: none).
    pub(crate) fn next_expiry(&self) -> i64 {
        self.next_expiry
    }

    pub(crate) fn stats(&self) -> IndexStats {
        IndexStats {
            users: self.users.len(),
            entries: self.entries,
            structures: self.structures.len(),
            rights: self.right_ids.len(),
        }
    }

    fn structure_slice(&self, user: &str, structure: &str) -> Option<(u32, &[Entry])> {
        let s = *self.structures.get(structure)?;
        let entries = self.users.get(user)?;
        let lo = entries.partition_point(|e| e.structure < s);
        let hi = lo + entries[lo..].partition_point(|e| e.structure == s);
        Some((s, &entries[lo..hi]))
    }

    /// Does the person hold `application`/`level` in `structure`, for the whole structure
    /// or, when `services` is not empty, for every one of them (a whole-structure grant
    /// covers every service)? An empty `services` asks for the whole structure.
    pub(crate) fn decide(
        &self,
        user: &str,
        structure: &str,
        services: &[String],
        application: &str,
        level: &str,
        now_ms: i64,
    ) -> bool {
        let Some(&right) = self.apps.get(application).and_then(|l| l.get(level)) else {
            return false;
        };
        let Some((_, slice)) = self.structure_slice(user, structure) else {
            return false;
        };
        let lo = slice.partition_point(|e| e.right < right);
        let hi = lo + slice[lo..].partition_point(|e| e.right == right);
        self.covers(&slice[lo..hi], services, now_ms)
    }

    fn covers(&self, slice: &[Entry], services: &[String], now_ms: i64) -> bool {
        let valid = |e: &&Entry| e.valid_until > now_ms;
        if slice.iter().filter(valid).any(|e| e.service == WHOLE) {
            return true;
        }
        !services.is_empty()
            && services.iter().all(|svc| {
                self.services
                    .get(svc.as_str())
                    .is_some_and(|&id| slice.iter().filter(valid).any(|e| e.service == id))
            })
    }

    /// The levels of `application` the person holds in `structure` for `services`
    /// (same rule as [`Index::decide`]), sorted.
    pub(crate) fn rights(
        &self,
        user: &str,
        structure: &str,
        services: &[String],
        application: &str,
        now_ms: i64,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let Some(levels) = self.apps.get(application) else {
            return out;
        };
        let Some((_, slice)) = self.structure_slice(user, structure) else {
            return out;
        };
        for (level, &right) in levels {
            let lo = slice.partition_point(|e| e.right < right);
            let hi = lo + slice[lo..].partition_point(|e| e.right == right);
            if lo < hi && self.covers(&slice[lo..hi], services, now_ms) {
                out.push(level.to_string());
            }
        }
        out.sort_unstable();
        out
    }
}

/// Builds a whole index from a stream of rows, in one pass: people are interned to
/// slots as they come (consecutive rows of the same person skip the lookup), entries go
/// into one flat vector tagged with the slot, which is sorted once at the end and cut
/// into each person's slice. No per-person vector and no second copy of the ids.
pub(crate) struct Builder {
    index: Index,
    user_slots: HashMap<Box<str>, u32>,
    /// The last row's person and slot, to skip the lookup for consecutive rows (the
    /// buffer is reused, so this allocates nothing once it is long enough).
    last_user: String,
    last_slot: Option<u32>,
    entries: Vec<(u32, Entry)>,
}

impl Builder {
    pub(crate) fn new(catalogue: &[CatalogueRight]) -> Self {
        let mut index = Index::new();
        index.set_catalogue(catalogue);
        Self {
            index,
            user_slots: HashMap::new(),
            last_user: String::new(),
            last_slot: None,
            entries: Vec::new(),
        }
    }

    /// Reserve room for about `rows` more rows.
    pub(crate) fn reserve(&mut self, rows: usize) {
        self.entries.reserve(rows);
    }

    fn user_slot(&mut self, user: &str) -> u32 {
        if let Some(slot) = self.last_slot
            && self.last_user == user
        {
            return slot;
        }
        let slot = Index::intern(&mut self.user_slots, user, 0);
        self.last_user.clear();
        self.last_user.push_str(user);
        self.last_slot = Some(slot);
        slot
    }

    /// Add one grant row.
    pub(crate) fn push(
        &mut self,
        user: &str,
        structure: &str,
        right_id: &str,
        service: Option<&str>,
        valid_until: Option<i64>,
    ) {
        let Some(e) = self.index.entry(structure, right_id, service, valid_until) else {
            return;
        };
        let slot = self.user_slot(user);
        self.entries.push((slot, e));
    }

    pub(crate) fn finish(self) -> Index {
        let Self {
            mut index,
            user_slots,
            mut entries,
            ..
        } = self;
        entries.sort_unstable();
        entries.dedup();
        let mut names: Vec<Option<Box<str>>> = vec![None; user_slots.len()];
        for (name, slot) in user_slots {
            names[slot as usize] = Some(name);
        }
        index.users.reserve(names.len());
        let mut rest = &entries[..];
        while let Some(&(slot, _)) = rest.first() {
            let n = rest.partition_point(|(s, _)| *s == slot);
            let mine: Box<[Entry]> = rest[..n].iter().map(|(_, e)| *e).collect();
            rest = &rest[n..];
            if let Some(name) = names[slot as usize].take() {
                index.entries += mine.len();
                index.users.insert(name, mine);
            }
        }
        index
    }
}

/// Build a whole index from a catalogue and rows (rows in any order).
#[cfg(test)]
pub(crate) fn build(catalogue: &[CatalogueRight], rows: Vec<GrantRow>) -> Index {
    let mut b = Builder::new(catalogue);
    for r in &rows {
        b.push(
            &r.user,
            &r.structure,
            &r.right_id,
            r.service.as_deref(),
            r.valid_until,
        );
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn right(id: &str, app: &str, level: &str) -> CatalogueRight {
        CatalogueRight {
            id: id.to_owned(),
            application: app.to_owned(),
            level: level.to_owned(),
        }
    }

    fn row(user: &str, s: &str, r: &str, svc: Option<&str>, until: Option<i64>) -> GrantRow {
        GrantRow::of(user, s, r, svc, until)
    }

    #[test]
    fn whole_structure_and_service_grants() {
        let cat = [
            right("r1", "vouchers", "read"),
            right("r2", "vouchers", "modify"),
        ];
        let idx = build(
            &cat,
            vec![
                row("alice", "S", "r1", None, None),
                row("bob", "S", "r2", Some("x"), Some(100)),
                row("bob", "S", "r2", Some("y"), None),
            ],
        );
        let svc = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(idx.decide("alice", "S", &[], "vouchers", "read", 0));
        assert!(idx.decide("alice", "S", &svc(&["x"]), "vouchers", "read", 0));
        assert!(!idx.decide("alice", "S", &[], "vouchers", "modify", 0));
        assert!(!idx.decide("alice", "T", &[], "vouchers", "read", 0));
        assert!(!idx.decide("bob", "S", &[], "vouchers", "modify", 0));
        assert!(idx.decide("bob", "S", &svc(&["x", "y"]), "vouchers", "modify", 99));
        assert!(!idx.decide("bob", "S", &svc(&["x", "y"]), "vouchers", "modify", 100));
        assert!(idx.decide("bob", "S", &svc(&["y"]), "vouchers", "modify", 100));
        assert_eq!(
            idx.rights("bob", "S", &svc(&["x"]), "vouchers", 0),
            ["modify"]
        );
        assert_eq!(idx.next_expiry(), 100);
    }

    #[test]
    fn prune_and_replace_keep_counts() {
        let cat = [right("r1", "a", "l")];
        let mut idx = build(
            &cat,
            vec![
                row("u", "S", "r1", None, Some(10)),
                row("v", "S", "r1", None, None),
            ],
        );
        assert_eq!(idx.stats().entries, 2);
        idx.prune(10);
        assert_eq!(idx.stats().entries, 1);
        assert_eq!(idx.stats().users, 1);
        assert_eq!(idx.next_expiry(), i64::MAX);
        idx.set_user("v", &[]);
        assert_eq!(idx.stats().entries, 0);
    }

    #[test]
    fn interleaved_rows_are_grouped_by_person() {
        let cat = [right("r1", "a", "l"), right("r2", "a", "m")];
        let idx = build(
            &cat,
            vec![
                row("u", "S", "r1", None, None),
                row("v", "T", "r2", Some("x"), None),
                row("u", "T", "r2", None, Some(50)),
                row("v", "T", "r2", Some("x"), None),
                row("u", "S", "r1", None, None),
                row("w", "S", "gone", None, None),
                row("v", "S", "r1", None, None),
            ],
        );
        assert_eq!(idx.stats().users, 2);
        assert_eq!(idx.stats().entries, 4);
        assert!(idx.decide("u", "S", &[], "a", "l", 0));
        assert!(idx.decide("u", "T", &[], "a", "m", 49));
        assert!(!idx.decide("u", "T", &[], "a", "m", 50));
        assert!(idx.decide("v", "T", &["x".to_owned()], "a", "m", 0));
        assert!(!idx.decide("v", "T", &[], "a", "m", 0));
        assert!(idx.decide("v", "S", &[], "a", "l", 0));
        assert!(!idx.decide("w", "S", &[], "a", "l", 0));
        assert_eq!(idx.next_expiry(), 50);
    }
}
