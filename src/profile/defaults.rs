//! The default profile: every key's value when a profile does not set it.

use super::*;
use crate::table::Table;

impl Default for Layout {
    fn default() -> Self {
        Layout {
            file_size_median: 9000.0,
            file_size_sigma: 0.7,
            file_size_min: 800,
            file_size_max: 400_000,
            files_per_folder: 12,
            fanout: 4,
            network_share: 0.5,
            assets: 16,
            stub_share: 0.0,
            stub_bytes_max: DEFAULT_STUB_BYTES,
            asset_bytes_median: DEFAULT_ASSET_BYTES_MEDIAN,
            asset_bytes_sigma: DEFAULT_ASSET_BYTES_SIGMA,
            svg_share: DEFAULT_SVG_SHARE,
        }
    }
}

impl Default for FrontMatter {
    fn default() -> Self {
        FrontMatter {
            share: 0.85,
            toml: 0.8,
            yaml: 0.15,
            json: 0.05,
            bids: true,
            tags: true,
            alias_share: 0.0,
            properties: 0.0,
        }
    }
}

impl Default for Mix {
    fn default() -> Self {
        use crate::record::BlockKind as B;
        Mix(Table::from_fn(|k| match k {
            B::Paragraph => 0.58,
            B::List => 0.20,
            B::Code => 0.10,
            B::Table => 0.065,
            B::Blockquote => 0.015,
            B::DefinitionList => 0.01,
            B::Html => 0.0,
        }))
    }
}

impl Default for Headings {
    fn default() -> Self {
        Headings {
            per_kb: 1.4,
            max_level: 6,
            explicit_id_share: 0.1,
            generic_share: 0.35,
            code_share: 0.0,
        }
    }
}

impl Default for References {
    fn default() -> Self {
        References {
            per_kb_min: 5.0,
            per_kb_max: 20.0,
            density_skew: 2.0,
            list_multiplier: 1.5,
            table_multiplier: 0.5,
            hub_exponent: 1.1,
            chain_share: 0.2,
            chain_length: 4,
            collision_share: 0.02,
            broken_share: 0.02,
            definition_external: 0.4,
            definition_reuse: 0.0,
            orphan_share: 0.0,
            avoid: Vec::new(),
            shortcode_share: 0.0,
            cover_kinds: false,
            kinds: Kinds::default(),
        }
    }
}

impl Default for Kinds {
    fn default() -> Self {
        use crate::record::LinkKind::*;
        Kinds(Table::from_fn(|k| match k {
            Wikilink => 18.0,
            WikilinkAlias => 6.0,
            Relative => 12.0,
            Parent => 8.0,
            Absolute => 4.0,
            PathAnchor => 10.0,
            Anchor => 8.0,
            Directory => 3.0,
            Id => 4.0,
            Bref => 3.0,
            Reference => 5.0,
            External => 10.0,
            Autolink => 4.0,
            Image => 4.0,
            WikilinkHeading | WikilinkBlock | Embed | BareWord => 0.0,
        }))
    }
}

impl Default for Text {
    fn default() -> Self {
        Text {
            word_exponent: 0.8,
            lexicon_exponent: 1.2,
            lexicon_tail_exponent: 2.0,
            lexicon_head: 1500,
            function_words: 1.0,
            paragraph_words: 40,
            wrap: 80,
            inline_markup: 0.04,
            list_items_max: 6,
            list_depth_max: 3,
            task_list_share: 0.1,
            ordered_list_share: 0.3,
            code_lines_max: 400,
            code_lines_median: 6.0,
            code_lines_sigma: 0.9,
            table_rows_max: 8,
            callout_share: 0.4,
            footnotes_per_kb: 0.08,
            paragraph_sigma: DEFAULT_PARAGRAPH_SIGMA,
            tags_per_kb: 0.0,
            long_words: 0.0,
        }
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            name: "default".into(),
            description: String::new(),
            dialect: Dialect::Noet,
            site: None,
            layout: Layout::default(),
            front_matter: FrontMatter::default(),
            mix: Mix::default(),
            headings: Headings::default(),
            references: References::default(),
            text: Text::default(),
            revisions: Revisions::default(),
        }
    }
}

impl Default for Revisions {
    fn default() -> Self {
        Revisions {
            edits_per_revision: 3.0,
            hot_exponent: 1.1,
            paragraph: 0.42,
            add_reference: 0.15,
            remove_reference: 0.10,
            rename_heading: 0.08,
            add_file: 0.06,
            delete_file: 0.06,
            move_file: 0.05,
            front_matter: 0.04,
            move_section: 0.04,
            follow_share: 0.5,
        }
    }
}
