//! External URLs: plausible addresses on a few well-known sites.

use crate::plan::Plan;
use crate::rng::Rng;
use crate::text::push_capitalized;
use crate::words::EXTERNAL_BASES;

/// How an external URL continues after its base.
#[derive(Clone, Copy)]
enum UrlShape {
    /// `Capitalized_word` (Wikipedia)
    Article,
    /// `rfcNNNN`
    Rfc,
    /// `API/Capitalized`
    Api,
    /// `a/b.html`
    Page,
    /// `a/b` (GitHub)
    Repo,
    /// `a-b`
    Dashed,
}

/// [`UrlShape`] of each of [`EXTERNAL_BASES`], worked out when compiling
/// (searching the base for its host on every URL was a third of its cost).
const URL_SHAPES: [UrlShape; EXTERNAL_BASES.len()] = {
    const fn contains(hay: &str, needle: &str) -> bool {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        let mut i = 0;
        while i + n.len() <= h.len() {
            let mut j = 0;
            while j < n.len() && h[i + j] == n[j] {
                j += 1;
            }
            if j == n.len() {
                return true;
            }
            i += 1;
        }
        false
    }
    let mut shapes = [UrlShape::Dashed; EXTERNAL_BASES.len()];
    let mut k = 0;
    while k < shapes.len() {
        let b = EXTERNAL_BASES[k];
        // In this order: the first host that matches decides.
        shapes[k] = if contains(b, "wikipedia") {
            UrlShape::Article
        } else if contains(b, "rfc-editor") {
            UrlShape::Rfc
        } else if contains(b, "mozilla") {
            UrlShape::Api
        } else if contains(b, "example.com") {
            UrlShape::Page
        } else if contains(b, "github") {
            UrlShape::Repo
        } else {
            UrlShape::Dashed
        };
        k += 1;
    }
    shapes
};

/// A plausible external URL.
pub(super) fn external_url(plan: &Plan, rng: &mut Rng) -> String {
    let k = rng.index(EXTERNAL_BASES.len());
    let base = EXTERNAL_BASES[k];
    let a = plan.vocab.sample(rng);
    let b = plan.vocab.sample(rng);
    let mut url = String::with_capacity(base.len() + a.len() + b.len() + 8);
    url.push_str(base);
    match URL_SHAPES[k] {
        UrlShape::Article => {
            push_capitalized(&mut url, a);
            url.push('_');
            url.push_str(b);
        }
        UrlShape::Rfc => {
            let mut digits = [0; 20];
            let n = crate::text::u64_digits(700 + rng.below(9000), &mut digits);
            url.push_str("rfc");
            url.push_str(std::str::from_utf8(n).expect("ASCII digits"));
        }
        UrlShape::Api => {
            url.push_str("API/");
            push_capitalized(&mut url, a);
        }
        UrlShape::Page => {
            url.push_str(a);
            url.push('/');
            url.push_str(b);
            url.push_str(".html");
        }
        UrlShape::Repo => {
            url.push_str(a);
            url.push('/');
            url.push_str(b);
        }
        UrlShape::Dashed => {
            url.push_str(a);
            url.push('-');
            url.push_str(b);
        }
    }
    url
}
