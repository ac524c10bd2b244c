#!/usr/bin/env python3
"""Check the format of the data lists in data/ (no network, no third-party modules).

    python3 data/scripts/check_data.py          # check, exit 1 on any problem
    python3 data/scripts/check_data.py --fix    # also rewrite the .txt lists normalized

Rules for the .txt lists: UTF-8, LF endings, final newline, one entry per line, no blank
lines, no surrounding whitespace, lowercase, deduplicated, sorted by code point
(`LC_ALL=C sort -u`). CSVs: header row, same field count on each row, unique keys.
postal_codes.csv: each regex compiles and fully matches each of its examples.
"""
import csv
import pathlib
import re
import sys

DATA = pathlib.Path(__file__).resolve().parent.parent

TXT = [
    "disposable_email_domains.txt", "disposable_email_allowlist.txt", "role_email_locals.txt",
    "free_email_domains.txt", "email_typo_targets.txt", "placeholder_person_names.txt",
    "email_placeholder_locals.txt", "email_reserved_domains.txt", "email_fake_domains.txt",
]
CSV = {  # file: (header, key columns)
    "countries.csv": (["alpha2", "alpha3", "numeric", "name_en", "name_ru", "aliases"], ["alpha2"]),
    "countries_historic.csv": (["alpha2", "name", "replaced_by", "kind"], ["alpha2"]),
    "subdivisions.csv": (["country", "code", "name", "aliases"], ["country", "code"]),
    "postal_codes.csv": (["country", "regex", "example"], ["country"]),
}
DOMAIN = re.compile(r"^\.?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def main(fix):
    errors = []
    err = errors.append
    for name in TXT:
        p = DATA / name
        raw = p.read_bytes()
        text = raw.decode("utf-8")
        if "\r" in text:
            err(f"{name}: CR characters")
        if text and not text.endswith("\n"):
            err(f"{name}: no final newline")
        lines = text.split("\n")[:-1]
        norm = sorted({l.strip().lower() for l in lines if l.strip()})
        if lines != norm:
            err(f"{name}: not normalized (blank/whitespace/case/dupes/order)")
            if fix:
                p.write_text("".join(l + "\n" for l in norm), encoding="utf-8", newline="\n")
                print(f"{name}: rewritten")
        if "domain" in name or name == "email_typo_targets.txt":
            bad = [l for l in norm if not DOMAIN.match(l)]
            if bad:
                err(f"{name}: not domain-shaped: {bad[:5]}")
        print(f"{name}: {len(norm)} entries")
    for name, (header, keys) in CSV.items():
        p = DATA / name
        text = p.read_bytes().decode("utf-8")
        if "\r" in text or not text.endswith("\n"):
            err(f"{name}: CR or missing final newline")
        rows = list(csv.reader(text.splitlines()))
        if rows[0] != header:
            err(f"{name}: header {rows[0]} != {header}")
        idx = [header.index(k) for k in keys]
        seen = set()
        for r in rows[1:]:
            if len(r) != len(header):
                err(f"{name}: bad row {r}")
                continue
            k = tuple(r[i] for i in idx)
            if k in seen:
                err(f"{name}: duplicate key {k}")
            seen.add(k)
            if any(c != c.strip() for c in r):
                err(f"{name}: surrounding whitespace in {r}")
        if name == "postal_codes.csv":
            for cc, rx, ex in rows[1:]:
                try:
                    pat = re.compile(rx)
                except re.error as e:
                    err(f"{name}: {cc}: {e}")
                    continue
                for e in ex.split("|"):
                    if not pat.fullmatch(e):
                        err(f"{name}: {cc}: {e!r} does not match {rx!r}")
        print(f"{name}: {len(rows) - 1} rows")
    # cross-list sanity
    read = lambda n: set((DATA / n).read_text(encoding="utf-8").split())
    both = read("disposable_email_domains.txt") & read("disposable_email_allowlist.txt")
    if both:
        err(f"blocklist/allowlist overlap: {sorted(both)}")
    both = read("free_email_domains.txt") & read("disposable_email_domains.txt")
    if both:
        err(f"free-mail domains in the disposable list: {sorted(both)}")
    missing = read("email_typo_targets.txt") - read("free_email_domains.txt")
    if missing:
        err(f"typo targets missing from free_email_domains.txt: {sorted(missing)}")
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main("--fix" in sys.argv))
