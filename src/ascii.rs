//! ASCII helpers every layer shares (the URL, the resolver and HTTP): one copy each, out of
//! line where flash is small.

/// Whether `a` is `b`, ignoring ASCII case: every case-insensitive compare of the crate (the
/// URL's scheme, `localhost`, header and framing names, list elements), one out-of-line copy
/// on 32-bit targets (`str::eq_ignore_ascii_case` inlined at each caller, or a second copy
/// beside this one, cost flash there).
#[cfg_attr(not(target_pointer_width = "64"), inline(never))]
#[cfg_attr(target_pointer_width = "64", inline)]
pub(crate) fn eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}
