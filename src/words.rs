//! Word lists. Plain data, kept apart from the code that uses it.
//!
//! Every entry is lowercase ASCII letters only, so no word can form
//! markdown syntax. `VOCAB` never contains the small connecting words used by
//! heading templates (`STOP`), which keeps document titles (three vocabulary
//! words) and section headings (always with a connector) from ever having
//! the same slug.

/// Technical vocabulary, roughly most common first (the Zipf rank order).
pub const VOCAB: &str = "
data file value system cache node request server client config index query
page user error type module function table stream buffer event record field
key network service version path build test update message thread process
memory block object schema link graph document section parser token state
store handler option result source target batch queue worker task session
layer model policy format header entry output input route filter plugin
commit branch release package library storage engine driver socket channel
signal timer metric trace span label tag topic schedule cluster replica shard
partition snapshot backup restore migration column row segment chunk frame
packet payload response endpoint gateway proxy router balancer certificate
secret credential identity account tenant project workspace repository
registry image container volume mount namespace deployment manifest template
variable constant argument parameter closure iterator trait struct enum
macro pointer reference slice vector array map set heap tree list lock mutex
atomic future promise callback runtime executor scheduler allocator
collector compiler linker loader interpreter bytecode opcode register stack
kernel driver device disk sector inode directory folder archive compression
checksum digest hash signature encryption cipher nonce salt entropy random
sample histogram counter gauge alert dashboard report summary query planner
optimizer statistics cardinality selectivity predicate join merge sort scan
seek cursor transaction isolation consistency durability journal wal
checkpoint compaction flush eviction retention expiry lease quorum leader
follower election heartbeat timeout retry backoff circuit breaker limiter
throttle quota budget latency throughput bandwidth capacity utilization
overhead footprint baseline benchmark profile regression fixture mock stub
assertion coverage lint formatter toolchain dependency feature flag toggle
rollout canary rollback incident outage postmortem runbook playbook oncall
pager escalation ticket backlog sprint milestone roadmap proposal review
approval merge conflict rebase patch diff hunk blame history tagline
changelog readme tutorial guide handbook reference glossary appendix chapter
paragraph sentence heading anchor footnote citation bibliography outline
draft revision editor author reader audience contributor maintainer owner
reviewer operator administrator developer designer tester analyst vendor
customer partner region zone datacenter host instance machine processor core
socket port address subnet firewall gateway tunnel protocol handshake
session cookie header body encoding charset locale timezone calendar clock
epoch offset interval window duration deadline watermark sequence order
priority weight score rank threshold limit range bound minimum maximum
average median percentile variance deviation estimate forecast trend pattern
anomaly outlier cluster centroid feature vectorizer embedding tokenizer
dataset corpus annotation taxonomy ontology vocabulary dictionary thesaurus
parser lexer grammar syntax semantics expression statement declaration
definition implementation interface abstraction encapsulation inheritance
composition delegation adapter facade decorator observer visitor strategy
factory builder singleton prototype bridge composite flyweight mediator
memento command interpreter iterator chain responsibility pipeline stage
operator transform reducer mapper combiner splitter aggregator emitter
listener subscriber publisher broker exchange binding mailbox inbox outbox
notification webhook trigger action workflow job cron daemon agent probe
sidecar mesh ingress egress upstream downstream mirror replica fallback
primary secondary standby failover recovery durability availability
reliability resilience observability telemetry logging tracing auditing
compliance governance privacy consent retention deletion anonymization
masking tokenization redaction sanitizer validator serializer deserializer
codec marshaller converter formatter renderer template layout theme style
palette font glyph icon widget component element attribute property
selector viewport canvas surface texture shader vertex pixel raster vector
bitmap sprite animation transition easing gesture pointer keyboard shortcut
accessibility contrast focus tooltip dialog modal drawer sidebar toolbar
menu button checkbox slider toggle tab panel card grid flex margin padding
border shadow opacity gradient filter blend mask clip id io os ui api cpu dns
tls url uri http json yaml sql log
";

/// Connecting words used only by heading templates and prose glue.
pub const STOP: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "for", "with", "and", "or", "on", "by", "from", "is",
    "are", "can", "when", "this", "that", "each", "every", "into", "over", "per", "between",
];

/// Generic section titles that real documentation repeats across pages.
pub const GENERIC_HEADINGS: &[&str] = &[
    "Overview",
    "Examples",
    "See also",
    "Configuration",
    "Troubleshooting",
    "Next steps",
    "Limitations",
    "Prerequisites",
    "Installation",
    "Usage",
    "Notes",
    "Background",
    "Summary",
    "FAQ",
    "Error handling",
    "Performance",
    "Security considerations",
    "Known issues",
    "Getting started",
    "Related topics",
];

/// Headings that name an API in inline code, as reference pages title
/// their sections (`headings.code_share`); `{a}` and `{b}` as in
/// [`HEADING_TEMPLATES`]. Each slug keeps a `.` or `(`, or joins two words
/// into one, so none equals a document's or a network's id.
pub const API_HEADINGS: &[&str] = &[
    "`{a}.{b}(options[, callback])`",
    "`{a}.{b}(value, options)`",
    "`{a}.{b}(request, response, next)`",
    "`new {A}({b}[, options])`",
    "`new {A}(url, {b})`",
    "Class: `{A}Client`",
    "Event: `'{a}:{b}'`",
    "`{a}.{b}` (read-only)",
    "Parameter: `{A}Options`",
    "Returns: `Promise<{A}>`",
];

/// Heading templates: `{a}` and `{b}` are vocabulary words; `{A}` is `{a}`
/// capitalised. Each holds at least one word from `STOP` or a verb form, so
/// no heading slug equals a document id.
pub const HEADING_TEMPLATES: &[&str] = &[
    "Configuring the {a}",
    "How {a} works",
    "{A} and {b}",
    "Working with {a} {b}",
    "Using {a} in the {b}",
    "{A} for {b}",
    "Tuning the {a} {b}",
    "Why {a} matters",
    "Migrating from {a} to {b}",
    "{A} in practice",
    "Choosing the {a}",
    "The {a} {b} model",
    "When to use {a}",
    "{A} with {b}",
    "Debugging {a} {b}",
];

/// Code block languages with a relative weight each.
pub const CODE_LANGS: &[(&str, f64)] = &[
    ("rust", 3.0),
    ("python", 2.0),
    ("bash", 2.0),
    ("toml", 1.0),
    ("json", 1.0),
    ("yaml", 1.0),
    ("javascript", 1.0),
    ("console", 0.7),
    ("text", 0.5),
];

/// External hosts and path styles for external references.
pub const EXTERNAL_BASES: &[&str] = &[
    "https://en.wikipedia.org/wiki/",
    "https://github.com/",
    "https://docs.rs/",
    "https://developer.mozilla.org/en-US/docs/Web/",
    "https://www.rfc-editor.org/rfc/",
    "https://crates.io/crates/",
    "https://example.com/docs/",
];

/// Table header sets.
pub const TABLE_HEADERS: &[&[&str]] = &[
    &["Name", "Type", "Default", "Description"],
    &["Option", "Description", "See"],
    &["Field", "Meaning", "Since"],
    &["Command", "Effect", "Reference"],
    &["Setting", "Value", "Notes", "Link"],
];

/// GFM callout kinds.
pub const CALLOUTS: &[&str] = &["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
