//! Rendering: the bytes of file N and its ground truth, as a pure function
//! of the plan and N.
//!
//! A file is written front to back into one buffer: front matter, the H1,
//! then blocks chosen so that each kind's share of bytes follows the
//! profile's mix, with section headings placed at even byte intervals and
//! references inserted wherever the running count falls behind the file's
//! density. A final paragraph of exactly the right length makes the file
//! exactly its planned size.

use crate::links::{Linker, Made};

use crate::plan::{FileMeta, HeadingMeta, Plan};
use crate::record::BlockKind::{self, *};
use crate::record::{
    BlockCounts, FrontMatterFormat, HeadingRecord, LinkRecord, MixBytes, PerBlock,
};
use crate::rng::{stream, Domain, Rng};
use crate::text::Prose;

mod blocks;
mod properties;
mod prose;

/// One rendered file.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The plan's metadata for the file.
    pub meta: FileMeta,
    /// The markdown.
    pub bytes: Vec<u8>,
    /// Headings in order.
    pub headings: Vec<HeadingRecord>,
    /// References in document order.
    pub links: Vec<LinkRecord>,
    /// Top-level blocks.
    pub blocks: BlockCounts,
    /// Bytes written per block kind, headings and the rest.
    pub mix_bytes: MixBytes<u64>,
    /// Its tags, front matter's then inline `#tags`, each once, in order.
    pub tags: Vec<String>,
}

/// Link-bearing classes of text.
#[derive(Clone, Copy)]
enum Class {
    Prose = 0,
    List = 1,
    Table = 2,
}

const SPACES: &[u8] = b"                                                                ";

/// Every file of `plan`, rendered in index order, one at a time.
pub fn documents(plan: &Plan) -> impl Iterator<Item = Rendered> + '_ {
    (0..plan.files).map(move |i| render(plan, i))
}

/// Render file `i` of `plan`.
pub fn render(plan: &Plan, i: u64) -> Rendered {
    render_into(plan, i, Vec::new())
}

/// [`render`], writing the bytes into `buf`'s allocation (cleared first),
/// so that a caller rendering many files reuses one buffer.
pub fn render_into(plan: &Plan, i: u64, buf: Vec<u8>) -> Rendered {
    let meta = plan.file(i);
    let sections: Vec<HeadingMeta> = plan.headings(i, meta.headings);
    plan.offer_section_ids(&meta, &sections);
    let anchors: Vec<String> = sections.iter().map(|h| h.id.clone()).collect();
    let mut r = Renderer::new(plan, &meta, &anchors, buf);
    r.run(&sections);
    r.finish(meta.clone())
}

struct Renderer<'p> {
    plan: &'p Plan,
    meta: &'p FileMeta,
    rng: Rng,
    out: Vec<u8>,
    tail: Vec<u8>,
    notes: Vec<u8>,
    linker: Linker<'p>,
    links: Vec<(usize, LinkRecord)>,
    headings: Vec<(usize, u8, String, String, Option<String>)>,
    blocks: BlockCounts,
    mix_bytes: MixBytes<u64>,
    shares: PerBlock<f64>,
    rates: [f64; 3],
    class_bytes: [u64; 3],
    class_links: [u64; 3],
    lists: u64,
    footnotes: u64,
    /// Content words of running text before the next footnote, drawn once
    /// per footnote (`None` until the first draw).
    footnote_in: Option<u64>,
    last_kind: Option<BlockKind>,
    /// `used()` must stay below this while the current block grows; blocks
    /// stop adding words, items, rows or lines once they reach it.
    limit: usize,
    density: f64,
    links_total: u64,
    chain: Option<u64>,
    /// Words only: no references and no footnotes (a block paragraph, whose
    /// room is reserved with its heading, must not outgrow it).
    plain: bool,
    wrap: usize,
    /// Tags written so far (see [`Rendered::tags`]).
    tags: Vec<String>,
    /// Inline `#tags` per byte of paragraph (`text.tags_per_kb`).
    tag_rate: f64,
}

impl<'p> Renderer<'p> {
    fn new(plan: &'p Plan, meta: &'p FileMeta, anchors: &'p [String], mut out: Vec<u8>) -> Self {
        let p = plan.profile();
        let total = p.mix.sum();
        let shares = p.mix.map(|x| x / total);
        // Spread the file's density over the link-bearing classes so that the
        // whole file (code and headings included) averages `density`.
        let density = if p.references.per_kb_max > 0.0 {
            plan.density(meta.index)
        } else {
            0.0
        };
        let heading_frac = (p.headings.per_kb * 28.0 / 1024.0).min(0.5);
        let m = [
            1.0,
            p.references.list_multiplier,
            p.references.table_multiplier,
        ];
        let weighted = (shares[Paragraph] + shares[Blockquote] + shares[DefinitionList]) * m[0]
            + shares[List] * m[1]
            + shares[Table] * m[2];
        let c = if weighted > 0.0 {
            density / (weighted * (1.0 - heading_frac))
        } else {
            0.0
        };
        Renderer {
            plan,
            meta,
            rng: stream(plan.seed(), Domain::Body, &[meta.index]),
            out: {
                out.clear();
                out.reserve(meta.size as usize + 256);
                out
            },
            tail: Vec::new(),
            notes: Vec::new(),
            linker: Linker::new(plan, meta, anchors),
            links: Vec::with_capacity((density * meta.size as f64 / 1024.0) as usize + 16),
            headings: Vec::with_capacity(meta.headings as usize + 1),
            blocks: BlockCounts::default(),
            mix_bytes: MixBytes::default(),
            shares,
            rates: m.map(|x| x * c),
            class_bytes: [0; 3],
            class_links: [0; 3],
            lists: 0,
            footnotes: 0,
            footnote_in: None,
            last_kind: None,
            limit: 0,
            density,
            links_total: 0,
            chain: plan.chain_next(meta.index),
            plain: false,
            wrap: p.text.wrap as usize,
            tags: Vec::new(),
            tag_rate: p.text.tags_per_kb / 1024.0,
        }
    }

    fn run(&mut self, sections: &[HeadingMeta]) {
        self.front_matter();
        let title = self.meta.title.clone();
        let title_id = self.plan.dialect().slug(&title);
        self.heading(1, &title, &title_id, false, None);
        let target = self.meta.size as usize;
        let est = |h: &HeadingMeta| {
            h.text.len() + h.id.len() + 12 + if h.block.is_some() { 120 } else { 0 }
        };
        let mut pending: usize = sections.iter().map(est).sum();
        let body_start = self.out.len();
        let span = target.saturating_sub(body_start + pending) as f64;
        let n = sections.len();
        let mut next = 0;
        let mut level = 1u8;
        // An intro paragraph under the H1, carrying the chain link if any.
        self.limit = target.saturating_sub(pending + 200);
        if self.limit > self.used() + 40 {
            self.paragraph(usize::MAX / 2);
        }
        loop {
            let used = self.used() + pending;
            let avail = target.saturating_sub(used);
            if next < n {
                let due = body_start + (span * (next + 1) as f64 / (n + 1) as f64) as usize;
                if self.out.len() >= due || avail < 300 {
                    level = self.next_level(level);
                    pending -= est(&sections[next]);
                    let h = &sections[next];
                    self.heading(level, &h.text, &h.id, h.explicit, h.block.as_deref());
                    if let Some(b) = &h.block {
                        self.block_paragraph(b);
                    }
                    next += 1;
                    continue;
                }
            }
            if avail < 300 {
                break;
            }
            let kind = self.choose_kind(avail);
            // The margin absorbs the last token, item or row of a block.
            self.limit = target - pending - 220;
            let start = self.out.len();
            match kind {
                Paragraph => self.paragraph(usize::MAX / 2),
                List => self.list(),
                Code => self.code(),
                Table => self.table(),
                Blockquote => self.quote(),
                Html => self.html(),
                DefinitionList => self.deflist(),
            }
            if kind != Paragraph {
                self.mix_bytes.blocks[kind] += (self.out.len() - start) as u64;
            }
            self.last_kind = Some(kind);
        }
        let remaining = target.saturating_sub(self.used());
        self.filler(remaining);
    }

    fn used(&self) -> usize {
        self.out.len() + self.tail.len() + self.notes.len()
    }

    /// How long `out` may grow before `used()` reaches `limit`.
    fn room(&self) -> usize {
        self.limit
            .saturating_sub(self.tail.len() + self.notes.len())
    }

    fn next_level(&mut self, prev: u8) -> u8 {
        let max = self.plan.profile().headings.max_level;
        if prev < 2 {
            return 2;
        }
        if prev < max && self.rng.chance(0.45) {
            prev + 1
        } else if prev > 2 && self.rng.chance(0.5) {
            2 + self.rng.below((prev - 2) as u64) as u8
        } else {
            prev
        }
    }

    fn choose_kind(&mut self, avail: usize) -> BlockKind {
        let total: u64 = self.mix_bytes.blocks.total() + 1;
        let mut best = Paragraph;
        let mut best_score = f64::MIN;
        for k in BlockKind::ALL {
            // Smallest useful size of each kind, first row or item included.
            let min = match k {
                Paragraph => 40,
                Table => 450,
                List | Code => 150,
                Blockquote | DefinitionList | Html => 120,
            };
            // Two definition lists in a row would parse as one.
            let merges = k == DefinitionList && self.last_kind == Some(DefinitionList);
            if self.shares[k] <= 0.0 || min > avail.saturating_sub(220) || merges {
                continue;
            }
            let score = self.shares[k] * (total as f64 + 400.0) - self.mix_bytes.blocks[k] as f64
                + self.rng.unit() * 300.0 * self.shares[k];
            if score > best_score {
                best_score = score;
                best = k;
            }
        }
        best
    }

    fn front_matter(&mut self) {
        let Some(fmt) = self.meta.front_matter else {
            return;
        };
        let m = self.meta;
        let id = m.id.clone().unwrap_or_default();
        let tags: Vec<&str> = if self.plan.profile().front_matter.tags {
            let n = 1 + self.rng.index(3);
            let mut tags: Vec<&str> = (0..n)
                .map(|_| self.plan.vocab.sample(&mut self.rng))
                .collect();
            // Distinct, in the order drawn (`[data, data]` is not a tag
            // list anyone writes); the draws are kept, so nothing else moves.
            let mut k = 0;
            while k < tags.len() {
                if tags[..k].contains(&tags[k]) {
                    tags.remove(k);
                } else {
                    k += 1;
                }
            }
            tags
        } else {
            Vec::new()
        };
        let start = self.out.len();
        let quoted = |t: &[&str]| -> String {
            let t: Vec<String> = t.iter().map(|t| format!("\"{t}\"")).collect();
            t.join(", ")
        };
        let alias: Vec<&str> = m.alias.as_deref().into_iter().collect();
        let mut fm = String::from("---\n");
        match fmt {
            FrontMatterFormat::Toml => {
                fm.push_str(&format!("title = \"{}\"\nid = \"{}\"\n", m.title, id));
                if let Some(bid) = &m.bid {
                    fm.push_str(&format!("bid = \"{bid}\"\n"));
                }
                if !tags.is_empty() {
                    fm.push_str(&format!("tags = [{}]\n", quoted(&tags)));
                }
                if !alias.is_empty() {
                    fm.push_str(&format!("aliases = [{}]\n", quoted(&alias)));
                }
                properties::write(self.plan, m.index, fmt, &mut fm);
            }
            FrontMatterFormat::Yaml => {
                fm.push_str(&format!("title: {}\nid: {}\n", m.title, id));
                if let Some(bid) = &m.bid {
                    fm.push_str(&format!("bid: {bid}\n"));
                }
                if !tags.is_empty() {
                    fm.push_str(&format!("tags: [{}]\n", tags.join(", ")));
                }
                if !alias.is_empty() {
                    fm.push_str(&format!("aliases: [{}]\n", alias.join(", ")));
                }
                if self.plan.site() == Some(crate::site::Site::Hugo) {
                    // Hugo's own keys: built, ordered as the tree is, dated.
                    let weight = m.index - self.plan.files_in(m.folder).start + 1;
                    let date = properties::page_date(self.plan, m.index);
                    fm.push_str(&format!("draft: false\nweight: {weight}\ndate: {date}\n"));
                }
                properties::write(self.plan, m.index, fmt, &mut fm);
            }
            FrontMatterFormat::Json => {
                fm.push_str(&format!("{{\"title\": \"{}\", \"id\": \"{}\"", m.title, id));
                if let Some(bid) = &m.bid {
                    fm.push_str(&format!(", \"bid\": \"{bid}\""));
                }
                if !tags.is_empty() {
                    fm.push_str(&format!(", \"tags\": [{}]", quoted(&tags)));
                }
                if !alias.is_empty() {
                    fm.push_str(&format!(", \"aliases\": [{}]", quoted(&alias)));
                }
                properties::write(self.plan, m.index, fmt, &mut fm);
                fm.push_str("}\n");
            }
        }
        fm.push_str("---\n\n");
        self.out.extend_from_slice(fm.as_bytes());
        self.tags.extend(tags.iter().map(|t| t.to_string()));
        self.blocks.front_matter += 1;
        self.mix_bytes.other += (self.out.len() - start) as u64;
    }

    fn heading(&mut self, level: u8, text: &str, id: &str, explicit: bool, block: Option<&str>) {
        let start = self.out.len();
        self.out.extend(std::iter::repeat_n(b'#', level as usize));
        self.out.push(b' ');
        self.out.extend_from_slice(text.as_bytes());
        if explicit {
            self.out.extend_from_slice(format!(" {{#{id}}}").as_bytes());
        }
        self.out.extend_from_slice(b"\n\n");
        self.headings.push((
            start,
            level,
            text.to_string(),
            id.to_string(),
            block.map(str::to_string),
        ));
        self.blocks.heading += 1;
        self.mix_bytes.heading += (self.out.len() - start) as u64;
    }

    /// Is a reference due in text of `class`, `extra` bytes into the block?
    /// Each class keeps its own pace; the file-wide count catches up when
    /// saturated classes or small files fall behind the file's density.
    fn link_due(&mut self, class: Class, extra: usize) -> bool {
        let c = class as usize;
        if self.rates[c] <= 0.0 {
            return false;
        }
        let due = self.rates[c] * (self.class_bytes[c] as usize + extra) as f64 / 1024.0;
        let file_due = self.density * self.used() as f64 / 1024.0;
        let u = self.rng.unit();
        due - self.class_links[c] as f64 > u || file_due - self.links_total as f64 > 1.0 + u
    }

    fn push_link(&mut self, p: &mut Prose, made: Made, class: Class) {
        let at = p.token(&mut self.out, made.markup.as_bytes());
        self.linker.defined(&made);
        self.linker.recycle(made.markup);
        if let Some(def) = made.definition {
            self.tail.extend_from_slice(def.as_bytes());
            self.tail.push(b'\n');
        }
        let mut record = made.record;
        if let Some(site) = self.plan.site() {
            record.url = site.link_url(&record);
        }
        self.links.push((at, record));
        self.class_links[class as usize] += 1;
        self.links_total += 1;
    }

    fn finish(mut self, meta: FileMeta) -> Rendered {
        let body_len = self.out.len();
        self.out.extend_from_slice(&self.tail);
        self.out.extend_from_slice(&self.notes);
        self.mix_bytes.other += (self.out.len() - body_len) as u64;
        // Offsets to 1-based lines in one pass; records are in offset order.
        let mut lines = crate::lines::Lines::new(&self.out);
        let mut events: Vec<(usize, bool, usize)> =
            Vec::with_capacity(self.links.len() + self.headings.len());
        events.extend(
            self.headings
                .iter()
                .enumerate()
                .map(|(k, h)| (h.0, true, k)),
        );
        events.extend(self.links.iter().enumerate().map(|(k, l)| (l.0, false, k)));
        // Two runs already in order (headings, then links): the stable sort
        // finds them and merges in one pass, where sort_unstable did not.
        events.sort();
        let mut head_lines = vec![0; self.headings.len()];
        let mut link_lines = vec![0; self.links.len()];
        for (at, is_heading, k) in events {
            let l = lines.of(at);
            if is_heading {
                head_lines[k] = l;
            } else {
                link_lines[k] = l;
            }
        }
        let headings = self
            .headings
            .into_iter()
            .zip(head_lines)
            .map(|((_, level, text, id, block), line)| HeadingRecord {
                line,
                level,
                text,
                id,
                block,
            })
            .collect();
        let links = self
            .links
            .into_iter()
            .zip(link_lines)
            .map(|((_, mut rec), line)| {
                rec.line = line;
                rec
            })
            .collect();
        Rendered {
            meta,
            bytes: self.out,
            headings,
            links,
            blocks: self.blocks,
            mix_bytes: self.mix_bytes,
            tags: self.tags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Params;
    use crate::profile::Profile;

    fn plan(profile: &str, size: u64, seed: u64, files: Option<u64>) -> Plan {
        Plan::new(Params::new(
            Profile::load(profile).unwrap(),
            size,
            seed,
            files,
        ))
        .unwrap()
    }

    #[test]
    fn every_file_is_exactly_its_planned_size() {
        for (profile, size, seed, files) in [
            ("default", 3_000_000, 1, None),
            ("default", 2_000_000, 9, None),
            ("tiny", 60_000, 4, None),
            ("default", 500_000, 2, Some(1)),
        ] {
            let p = plan(profile, size, seed, files);
            for i in 0..p.files {
                let r = render(&p, i);
                assert_eq!(
                    r.bytes.len() as u64,
                    p.file_size(i),
                    "{profile} seed {seed} file {}",
                    r.meta.path
                );
            }
        }
    }

    #[test]
    fn rendering_is_a_pure_function_of_the_index() {
        let p = plan("default", 1_000_000, 5, None);
        let forward: Vec<Vec<u8>> = (0..p.files).map(|i| render(&p, i).bytes).collect();
        for i in (0..p.files).rev() {
            assert_eq!(render(&p, i).bytes, forward[i as usize]);
        }
    }

    #[test]
    fn ground_truth_lines_point_at_the_markup() {
        let p = plan("default", 300_000, 3, None);
        for i in 0..p.files {
            let r = render(&p, i);
            let text = String::from_utf8(r.bytes.clone()).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for h in &r.headings {
                let line = lines[h.line as usize - 1];
                assert!(line.starts_with('#') && line.contains(&h.text), "{line}");
            }
            for l in &r.links {
                let line = lines[l.line as usize - 1];
                let shown = match l.kind {
                    crate::record::LinkKind::Reference => "[",
                    _ => l.dest.as_str(),
                };
                assert!(
                    line.contains(shown),
                    "{} not on line {}: {line}",
                    l.dest,
                    l.line
                );
            }
        }
    }
}
