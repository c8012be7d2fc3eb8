//! Closed word classes of the prose grammar: plain data.
//!
//! Every entry is lowercase ASCII letters, with at most an inner hyphen or
//! apostrophe, so that no word can form markdown syntax wherever a line
//! wraps.

/// A word or short phrase of the grammar, padded to 32 bytes so that
/// writers copy it with one fixed-size move (a copy of a varying few bytes
/// branches on the length, and those branches mispredict), with its length
/// and the number of words it counts as ("a few" is two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct W {
    /// The bytes, then zeros.
    pub b: [u8; 32],
    /// Length in bytes.
    pub len: u8,
    /// Words (spaces plus one).
    pub words: u8,
}

impl W {
    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.b[..self.len as usize]
    }
}

/// `s` as a [`W`]; meant for constants (`const { w("the") }`).
pub const fn w(s: &str) -> W {
    let src = s.as_bytes();
    assert!(src.len() <= 32, "a grammar word is at most 32 bytes");
    let mut b = [0u8; 32];
    let mut words = 1;
    let mut i = 0;
    while i < src.len() {
        b[i] = src[i];
        if src[i] == b' ' {
            words += 1;
        }
        i += 1;
    }
    W {
        b,
        len: src.len() as u8,
        words,
    }
}

/// Verbs of documentation prose as (base, third person, past participle,
/// gerund). Spelled out, not inflected by rule: English spelling rules have
/// enough exceptions (`set`, `sent`, `mapping`) to make a rule longer than
/// the table.
pub const VERBS: &[(W, W, W, W)] = &[
    (w("use"), w("uses"), w("used"), w("using")),
    (w("store"), w("stores"), w("stored"), w("storing")),
    (w("return"), w("returns"), w("returned"), w("returning")),
    (w("read"), w("reads"), w("read"), w("reading")),
    (w("write"), w("writes"), w("written"), w("writing")),
    (w("update"), w("updates"), w("updated"), w("updating")),
    (w("create"), w("creates"), w("created"), w("creating")),
    (w("remove"), w("removes"), w("removed"), w("removing")),
    (w("check"), w("checks"), w("checked"), w("checking")),
    (w("select"), w("selects"), w("selected"), w("selecting")),
    (w("resolve"), w("resolves"), w("resolved"), w("resolving")),
    (w("handle"), w("handles"), w("handled"), w("handling")),
    (w("track"), w("tracks"), w("tracked"), w("tracking")),
    (w("load"), w("loads"), w("loaded"), w("loading")),
    (w("parse"), w("parses"), w("parsed"), w("parsing")),
    (w("send"), w("sends"), w("sent"), w("sending")),
    (w("receive"), w("receives"), w("received"), w("receiving")),
    (w("keep"), w("keeps"), w("kept"), w("keeping")),
    (w("hold"), w("holds"), w("held"), w("holding")),
    (w("split"), w("splits"), w("split"), w("splitting")),
    (w("merge"), w("merges"), w("merged"), w("merging")),
    (w("limit"), w("limits"), w("limited"), w("limiting")),
    (
        w("control"),
        w("controls"),
        w("controlled"),
        w("controlling"),
    ),
    (w("expose"), w("exposes"), w("exposed"), w("exposing")),
    (
        w("configure"),
        w("configures"),
        w("configured"),
        w("configuring"),
    ),
    (
        w("describe"),
        w("describes"),
        w("described"),
        w("describing"),
    ),
    (w("replace"), w("replaces"), w("replaced"), w("replacing")),
    (w("extend"), w("extends"), w("extended"), w("extending")),
    (w("wrap"), w("wraps"), w("wrapped"), w("wrapping")),
    (w("map"), w("maps"), w("mapped"), w("mapping")),
    (w("run"), w("runs"), w("run"), w("running")),
    (w("build"), w("builds"), w("built"), w("building")),
    (w("set"), w("sets"), w("set"), w("setting")),
    (w("get"), w("gets"), w("got"), w("getting")),
    (w("call"), w("calls"), w("called"), w("calling")),
    (w("start"), w("starts"), w("started"), w("starting")),
    (w("stop"), w("stops"), w("stopped"), w("stopping")),
    (w("open"), w("opens"), w("opened"), w("opening")),
    (w("close"), w("closes"), w("closed"), w("closing")),
    (w("add"), w("adds"), w("added"), w("adding")),
    (w("change"), w("changes"), w("changed"), w("changing")),
    (w("define"), w("defines"), w("defined"), w("defining")),
    (w("enable"), w("enables"), w("enabled"), w("enabling")),
    (w("disable"), w("disables"), w("disabled"), w("disabling")),
    (w("contain"), w("contains"), w("contained"), w("containing")),
    (w("include"), w("includes"), w("included"), w("including")),
    (w("require"), w("requires"), w("required"), w("requiring")),
    (w("support"), w("supports"), w("supported"), w("supporting")),
    (w("allow"), w("allows"), w("allowed"), w("allowing")),
    (w("provide"), w("provides"), w("provided"), w("providing")),
    (w("accept"), w("accepts"), w("accepted"), w("accepting")),
    (
        w("generate"),
        w("generates"),
        w("generated"),
        w("generating"),
    ),
    (w("compute"), w("computes"), w("computed"), w("computing")),
    (w("apply"), w("applies"), w("applied"), w("applying")),
    (w("install"), w("installs"), w("installed"), w("installing")),
    (w("deploy"), w("deploys"), w("deployed"), w("deploying")),
    (w("fetch"), w("fetches"), w("fetched"), w("fetching")),
    (w("find"), w("finds"), w("found"), w("finding")),
    (w("show"), w("shows"), w("shown"), w("showing")),
    (w("print"), w("prints"), w("printed"), w("printing")),
    (w("match"), w("matches"), w("matched"), w("matching")),
    (w("filter"), w("filters"), w("filtered"), w("filtering")),
    (w("sort"), w("sorts"), w("sorted"), w("sorting")),
    (w("copy"), w("copies"), w("copied"), w("copying")),
    (w("move"), w("moves"), w("moved"), w("moving")),
    (w("delete"), w("deletes"), w("deleted"), w("deleting")),
    (w("save"), w("saves"), w("saved"), w("saving")),
    (w("restore"), w("restores"), w("restored"), w("restoring")),
    (w("lock"), w("locks"), w("locked"), w("locking")),
    (w("retry"), w("retries"), w("retried"), w("retrying")),
    (w("report"), w("reports"), w("reported"), w("reporting")),
    (w("emit"), w("emits"), w("emitted"), w("emitting")),
    (
        w("publish"),
        w("publishes"),
        w("published"),
        w("publishing"),
    ),
    (
        w("register"),
        w("registers"),
        w("registered"),
        w("registering"),
    ),
    (
        w("validate"),
        w("validates"),
        w("validated"),
        w("validating"),
    ),
    (w("convert"), w("converts"), w("converted"), w("converting")),
    (w("export"), w("exports"), w("exported"), w("exporting")),
    (w("connect"), w("connects"), w("connected"), w("connecting")),
    (
        w("schedule"),
        w("schedules"),
        w("scheduled"),
        w("scheduling"),
    ),
    (
        w("process"),
        w("processes"),
        w("processed"),
        w("processing"),
    ),
    (w("make"), w("makes"), w("made"), w("making")),
    (w("take"), w("takes"), w("taken"), w("taking")),
    (w("give"), w("gives"), w("given"), w("giving")),
    (w("need"), w("needs"), w("needed"), w("needing")),
    (w("pass"), w("passes"), w("passed"), w("passing")),
    (w("follow"), w("follows"), w("followed"), w("following")),
    (w("point"), w("points"), w("pointed"), w("pointing")),
    (w("wait"), w("waits"), w("waited"), w("waiting")),
    (w("ignore"), w("ignores"), w("ignored"), w("ignoring")),
    (w("reduce"), w("reduces"), w("reduced"), w("reducing")),
];

/// Adjectives, a few hyphenated as documentation writes them.
pub const ADJECTIVES: &[W] = &[
    w("new"),
    w("default"),
    w("empty"),
    w("current"),
    w("local"),
    w("remote"),
    w("single"),
    w("large"),
    w("small"),
    w("fast"),
    w("slow"),
    w("valid"),
    w("invalid"),
    w("optional"),
    w("required"),
    w("public"),
    w("private"),
    w("internal"),
    w("external"),
    w("available"),
    w("specific"),
    w("different"),
    w("same"),
    w("first"),
    w("last"),
    w("next"),
    w("previous"),
    w("global"),
    w("static"),
    w("dynamic"),
    w("simple"),
    w("main"),
    w("primary"),
    w("old"),
    w("full"),
    w("partial"),
    w("whole"),
    w("common"),
    w("custom"),
    w("separate"),
    w("existing"),
    w("original"),
    w("final"),
    w("initial"),
    w("recent"),
    w("stable"),
    w("unstable"),
    w("safe"),
    w("unsafe"),
    w("correct"),
    w("wrong"),
    w("open"),
    w("closed"),
    w("active"),
    w("idle"),
    w("busy"),
    w("free"),
    w("raw"),
    w("plain"),
    w("short"),
    w("long"),
    w("high"),
    w("low"),
    w("maximum"),
    w("minimum"),
    w("total"),
    w("exact"),
    w("basic"),
    w("advanced"),
    w("useful"),
    w("possible"),
    w("important"),
    w("enough"),
    w("read-only"),
    w("built-in"),
    w("long-running"),
    w("thread-safe"),
    w("up-to-date"),
    w("well-known"),
    w("zero-copy"),
    w("low-level"),
    w("high-level"),
    w("human-readable"),
    w("case-sensitive"),
    w("per-user"),
];

/// Adverbs that qualify a verb.
pub const ADVERBS: &[W] = &[
    w("also"),
    w("only"),
    w("usually"),
    w("always"),
    w("never"),
    w("often"),
    w("still"),
    w("already"),
    w("first"),
    w("instead"),
    w("automatically"),
    w("directly"),
    w("again"),
    w("quickly"),
    w("safely"),
    w("rarely"),
    w("explicitly"),
    w("currently"),
    w("typically"),
    w("simply"),
];

/// Prepositions, most frequent first, with relative weights.
pub const PREPOSITIONS: &[(W, f64)] = &[
    (w("of"), 26.0),
    (w("in"), 17.0),
    (w("for"), 11.0),
    (w("to"), 9.0),
    (w("with"), 9.0),
    (w("on"), 6.0),
    (w("from"), 5.0),
    (w("by"), 4.0),
    (w("at"), 3.0),
    (w("into"), 2.0),
    (w("after"), 1.5),
    (w("before"), 1.5),
    (w("through"), 1.0),
    (w("without"), 1.0),
    (w("between"), 1.0),
    (w("under"), 0.7),
    (w("across"), 0.5),
    (w("within"), 0.5),
    (w("per"), 0.5),
    (w("like"), 0.5),
];

/// Modal verbs and auxiliaries that take a bare infinitive.
pub const MODALS: &[W] = &[
    w("can"),
    w("can"),
    w("can"),
    w("should"),
    w("must"),
    w("may"),
    w("will"),
    w("will"),
    w("might"),
    w("cannot"),
    w("does not"),
    w("do not"),
    w("would"),
    w("could"),
];

/// Subordinating conjunctions that open a clause.
pub const SUBORDINATORS: &[W] = &[
    w("when"),
    w("when"),
    w("if"),
    w("if"),
    w("if"),
    w("because"),
    w("while"),
    w("after"),
    w("before"),
    w("once"),
    w("unless"),
    w("until"),
    w("since"),
    w("although"),
];

/// Phrases that open a sentence and take a comma.
pub const OPENERS: &[W] = &[
    w("by default"),
    w("for example"),
    w("in this case"),
    w("in practice"),
    w("in most cases"),
    w("as a result"),
    w("on the other hand"),
    w("in general"),
    w("for now"),
    w("at this point"),
    w("in that case"),
    w("otherwise"),
    w("however"),
    w("first"),
    w("then"),
    w("finally"),
    w("instead"),
    w("in addition"),
];

/// Units for numbers in prose (a number never ends a sentence: a line
/// starting `42.` would become an ordered list).
pub const UNITS: &[W] = &[
    w("ms"),
    w("MB"),
    w("KB"),
    w("GB"),
    w("bytes"),
    w("seconds"),
    w("minutes"),
    w("hours"),
    w("nodes"),
    w("entries"),
    w("requests"),
    w("files"),
    w("threads"),
    w("percent"),
    w("items"),
    w("lines"),
    w("retries"),
    w("times"),
    w("workers"),
    w("connections"),
];

/// Small counts written as words.
pub const COUNTS: &[W] = &[
    w("two"),
    w("three"),
    w("four"),
    w("several"),
    w("many"),
    w("a few"),
];
