#!/usr/bin/env python3
"""Writes the sources of the compile-cost crates (see run.sh).

    gen.py macro N          lib.rs with N `#[guarded(rw)]` structs
    gen.py hand N           the same by hand: `struct S(parking_lot::RwLock<SState>)`
    gen.py sharded N        lib.rs with N `#[sharded(16)]` structs (a map field and a counter)
    gen.py sharded_hand N   the same by hand: 16 `parking_lot::RwLock<SShard>` and a hasher
    gen.py paste            stdin -> stdout: `-Zunpretty=expanded` output made to build on stable
    gen.py deref            stdin -> stdout: experiment on the (rustfmt-ed) pasted crate
    gen.py no-doc           stdin -> stdout: the same crate without `#[doc]` attributes
    gen.py bare             stdin -> stdout: `deref` output without the wrapper's trait impls
                            and with `new` as its only method
    gen.py empty            a crate with no structs: the fixed cost of `cargo check`
    gen.py lines N          stdin -> stdout: lines per struct, `use_all` and blank lines left out
"""
import re
import sys

# Public fields: the state's fields are never read otherwise, and 200 dead-code warnings would
# be timed along with the check.
FIELDS = "pub a: u64, pub b: String, pub c: Vec<u32>, pub d: Option<u8>, pub e: bool"
METHOD = "pub fn bump(&self) -> u64 { let mut s = self.{lock}; s.a += 1; s.a }"


def crate_source(n, items, use):
    """N structs, `items(i)` the lines of struct i, then `use_all`, which adds up `use(i)` (an
    expression that builds struct i and calls its method) for every struct."""
    out = []
    for i in range(n):
        out += items(i) + [""]
    out.append("pub fn use_all() -> u64 {")
    out.append("    let mut total = 0;")
    out += [f"    total += {use(i)};" for i in range(n)]
    out += ["    total", "}"]
    return "\n".join(out) + "\n"


def macro(n):
    return crate_source(
        n,
        lambda i: [
            "#[lockwise::guarded(rw)]",
            "#[derive(Debug, Default, Clone)]",
            f"pub struct S{i} {{ {FIELDS} }}",
            f"impl S{i} {{ {METHOD.replace('{lock}', 'write()')} }}",
        ],
        lambda i: f"S{i}::new(S{i}State::default()).bump()",
    )


def hand(n):
    return crate_source(
        n,
        lambda i: [
            "#[derive(Debug, Default, Clone)]",
            f"pub struct S{i}State {{ {FIELDS} }}",
            f"pub struct S{i}(parking_lot::RwLock<S{i}State>);",
            f"impl S{i} {{ {METHOD.replace('{lock}', '0.write()')} }}",
        ],
        lambda i: f"S{i}(parking_lot::RwLock::new(S{i}State::default())).bump()",
    )


# The shard of a `#[sharded(16)]` struct: one map field (so the wrapper is a `ShardedMap`) and
# a per-shard counter; public for the same reason as FIELDS.
SHARD_FIELDS = "pub map: std::collections::HashMap<u64, u64>, pub hits: u64"
SHARD_METHOD = "pub fn bump(&self, k: u64) -> u64 { let mut s = self.{lock}; s.hits += 1; s.hits }"


def sharded(n):
    return crate_source(
        n,
        lambda i: [
            "#[lockwise::sharded(16)]",
            "#[derive(Debug, Default)]",
            f"pub struct S{i} {{ {SHARD_FIELDS} }}",
            f"impl S{i} {{ {SHARD_METHOD.replace('{lock}', 'write(&k)')} }}",
        ],
        lambda i: f"S{i}::new().bump({i})",
    )


def sharded_hand(n):
    """The minimal 16-shard wrapper a user would write: an array of locks and a seeded hasher
    (std's `RandomState`), the shard picked by the hash's low bits."""
    shard_of = "(std::hash::BuildHasher::hash_one(&self.1, k) & 15) as usize"
    return crate_source(
        n,
        lambda i: [
            "#[derive(Debug, Default)]",
            f"pub struct S{i}Shard {{ {SHARD_FIELDS} }}",
            f"pub struct S{i}([parking_lot::RwLock<S{i}Shard>; 16], std::hash::RandomState);",
            f"impl S{i} {{ {SHARD_METHOD.replace('{lock}', f'0[{shard_of}].write()')} }}",
        ],
        lambda i: f"S{i}(Default::default(), Default::default()).bump({i})",
    )


# Lines rustc adds to every expansion; `prelude_import` is unstable, and without them the
# crate gets the same prelude from edition 2024 anyway.
PRELUDE = [
    re.compile(r"^#!\[feature\(prelude_import\)\]\s*$"),
    re.compile(r"^#\[prelude_import\]\s*$"),
    re.compile(r"^use (::)?std::prelude::rust_\d+::\*;\s*$"),
    re.compile(r"^#\[macro_use\]\s*$"),
    re.compile(r"^extern crate std;\s*$"),
]


def strip_prelude(lines):
    kept = [line for line in lines if not any(p.match(line) for p in PRELUDE)]
    if len(lines) - len(kept) not in (4, 5):  # `#[macro_use]` only before edition 2024
        sys.exit(f"paste: expected the prelude lines, found {len(lines) - len(kept)}")
    return kept


DERIVED_IMPL = re.compile(r"^impl ::core::(?:\w+::)*(\w+) for (\w+) \{$")


def restore_derives(lines):
    """Puts `#[derive(..)]` back in place of the impls rustc's built-in derives expanded to.

    Those impls call unstable helpers (`Formatter::debug_struct_field5_finish`) that only the
    derive's own spans may use, so they do not build when pasted. And the derives are not
    `#[guarded]`'s cost: the macro emits `#[derive(Debug, Default, Clone)]` on the state, and
    all three crates pay for the derives alike.
    """
    kept, derives, i = [], {}, 0
    while i < len(lines):
        if lines[i] == "#[automatically_derived]":
            header = DERIVED_IMPL.match(lines[i + 1])
            if not header:
                sys.exit(f"paste: unexpected derived impl: {lines[i + 1]!r}")
            derives.setdefault(header.group(2), []).append(header.group(1))
            i += 2
            while lines[i] != "}":
                i += 1
            i += 1
            continue
        kept.append(lines[i])
        i += 1
    out = []
    for line in kept:
        struct = re.match(r"^pub struct (\w+)\b", line)
        if struct and struct.group(1) in derives:
            out.append(f"#[derive({', '.join(derives.pop(struct.group(1)))})]")
        out.append(line)
    if derives:
        sys.exit(f"paste: derives without their struct: {sorted(derives)[:5]}")
    return out


def paste(text):
    return "\n".join(restore_derives(strip_prelude(text.splitlines()))) + "\n"


# What the wrapper keeps in the `deref` experiment: what `Guarded` cannot offer through `&self`
# (it takes `self` or `&mut self`, or constructs).
KEPT_METHODS = {"new", "get_mut", "into_inner"}


def impl_items(block):
    """Splits the body of a rustfmt-ed impl block into items (attributes + fn), by indent."""
    items, current = [], []
    for line in block:
        current.append(line)
        if line == "    }" or (line.startswith("    ") and not line.startswith("     ")
                               and line.rstrip().endswith(";") and not line.lstrip().startswith("#")):
            items.append(current)
            current = []
    if any(line.strip() for line in current):
        sys.exit(f"deref: unparsed impl tail: {current[:3]}")
    return items


def deref(text):
    """The wrappers forward through `Deref<Target = Guarded<..>>` instead of inherent methods."""
    lines, out, i, wrappers = text.splitlines(), [], 0, 0
    field_of = {}
    while i < len(lines):
        line = lines[i]
        struct = re.match(r"^pub struct (\w+) \{$", line)
        if struct and re.match(r"^    (__lockwise\w*): ", lines[i + 1]):
            field_of[struct.group(1)] = re.match(r"^    (\w+):", lines[i + 1]).group(1)
        head = re.match(r"^impl (\w+) \{$", line)
        if head and head.group(1) in field_of:
            end = lines.index("}", i)
            items = impl_items(lines[i + 1 : end])
            names = [re.search(r"\bfn (\w+)", "\n".join(item)).group(1) for item in items]
            if "read" in names:  # the generated impl, not the user's `bump`
                name = head.group(1)
                out.append(line)
                for item, fn in zip(items, names):
                    if fn in KEPT_METHODS:
                        out.extend(item)
                out.append("}")
                out += [
                    f"impl ::core::ops::Deref for {name} {{",
                    f"    type Target = ::lockwise::Guarded<{name}State, ::lockwise::mode::Rw>;",
                    "    #[inline]",
                    "    fn deref(&self) -> &Self::Target {",
                    f"        &self.{field_of[name]}",
                    "    }",
                    "}",
                ]
                wrappers += 1
                i = end + 1
                continue
        out.append(line)
        i += 1
    if wrappers == 0:
        sys.exit("deref: found no generated wrapper impl")
    return "\n".join(out) + "\n"


def no_doc(text):
    """Drops every `#[doc = ..]` attribute (rustfmt keeps each on one line)."""
    lines = text.splitlines()
    kept = [line for line in lines if not re.match(r"^\s*#\[doc\s*=.*\]$", line)]
    if any(re.match(r"^\s*#\[doc\b", line) for line in kept):
        sys.exit("no-doc: a #[doc] attribute spans lines")
    return "\n".join(kept) + "\n"


def top_level_items(lines):
    """Splits rustfmt-ed source into top-level items (with their attributes), by column 0."""
    items, current = [], []
    for line in lines:
        current.append(line)
        at_col0 = line[:1] not in ("", " ", "#")
        if line == "}" or (at_col0 and line.endswith(";")):
            items.append(current)
            current = []
    return items + ([current] if current else [])


WRAPPER_TRAIT_IMPL = re.compile(
    r"^impl (::core::fmt::Debug|::core::convert::From<\w+>|::core::default::Default"
    r"|::lockwise::__private::ALockMustNeverBeCopied<)"
)


def bare(text):
    """What forwarding through `Deref` costs at least: the wrapper, `new` and `Deref` only."""
    out, dropped = [], 0
    for item in top_level_items(text.splitlines()):
        code = [line for line in item if line.strip() and not line.startswith("#")]
        if code and WRAPPER_TRAIT_IMPL.match(code[0]) and "State" not in code[0].split(" for ")[-1]:
            dropped += 1
            continue
        if code and re.match(r"^impl \w+ \{$", code[0]) and "fn new(" in "\n".join(item):
            kept = impl_items(item[item.index(code[0]) + 1 : -1])
            item = item[: item.index(code[0]) + 1]
            for method in kept:
                if re.search(r"\bfn new\(", "\n".join(method)):
                    item += method
            item.append("}")
        out += item
    if dropped == 0:
        sys.exit("bare: found no wrapper trait impl")
    return "\n".join(out) + "\n"


def empty():
    return "pub fn use_all() -> u64 {\n    0\n}\n"


def lines_per_struct(text, n):
    """Non-blank lines outside `use_all` and `use` items, per struct."""
    count, in_use_all = 0, False
    for line in text.splitlines():
        if line.startswith("pub fn use_all"):
            in_use_all = True
        if not in_use_all and line.strip() and not line.startswith("use "):
            count += 1
        if in_use_all and line == "}":
            in_use_all = False
    return f"{count / n:.0f}"


COMMANDS = {
    "macro": lambda n: macro(int(n)),
    "hand": lambda n: hand(int(n)),
    "sharded": lambda n: sharded(int(n)),
    "sharded_hand": lambda n: sharded_hand(int(n)),
    "empty": empty,
    "paste": lambda: paste(sys.stdin.read()),
    "deref": lambda: deref(sys.stdin.read()),
    "no-doc": lambda: no_doc(sys.stdin.read()),
    "bare": lambda: bare(sys.stdin.read()),
    "lines": lambda n: lines_per_struct(sys.stdin.read(), int(n)) + "\n",
}


def main():
    try:
        text = COMMANDS[sys.argv[1]](*sys.argv[2:])
    except (IndexError, KeyError, TypeError):
        sys.exit(__doc__)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
