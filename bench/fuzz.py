#!/usr/bin/env python3
"""Mutation fuzzer for the CSV reader and the rule-file loader, on the stable toolchain.

cargo-fuzz needs a nightly compiler, which this project does not use; this harness
drives the release binary instead, one process per input, so a panic, an abort, a hang or
runaway memory is caught however it happens (a worker thread, the reader thread, the
rule loader). No coverage guidance: inputs are seeds from the repository mutated the
way broken exports are broken (stray quotes, delimiters, line endings, encodings, BOMs,
NULs, truncation, spliced and repeated lines) and rule files the way hostile ones are
(self-extension, cycles, deep nesting, huge numbers, bad regexes, wrong types).

    bench/fuzz.py --target csv --minutes 30          # CSV/TSV reader
    bench/fuzz.py --target rules --minutes 30        # rule-file loader
    bench/fuzz.py --target csv --minutes 1 --bin target/release/crmaudit

Each case must end with exit 0, 1 or 2 within the timeout, without "panicked" on stderr,
and an exit-2 message must name the file it is about. Failing cases are saved under
`bench/out/fuzz/<target>/` with the command and output; the summary prints executions,
exit-code counts and failures.
"""

import argparse
import collections
import glob
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT_S = 10
MEMORY_LIMIT = 2 << 30
SEED_BYTES = 32 * 1024

CSV_TOKENS = [
    b'"', b'""', b',', b';', b'\t', b'|', b'\n', b'\r\n', b'\r', b'\x00', b'\xff', b'\xef\xbb\xbf',
    b'\xfe\xff', b'=HYPERLINK("x")', b'\x1b[2J', b'sep=;\n', b'"\n"', b',,,,,,,,', b'\\', b"'",
    b'2026-13-45', b'31/12/2026', b'NaN', b'1e308', b'-0', b'@example.com', b'\xd0\x96',
    b'\xc3', b'\xe2\x80\xae', b'a' * 5000,
]
RULE_TOKENS = [
    b'extends = ["fuzz.toml"]\n', b'extends = ["a.toml", "a.toml"]\n', b'[', b']', b'{', b'}',
    b'"', b"'''", b'=', b'\n', b'[objects.contact]\n', b'required = ["email"]\n',
    b'select = ["ALL"]\n', b'ignore = ["IN"]\n', b'pattern = "(((("\n', b'pattern = "a{99999}"\n',
    b'max = 1e309\n', b'min = -99999999999999999999\n', b'severity = "fatal"\n',
    b'[checks.FM005]\n', b'[pipelines.x]\n', b'[input]\n', b'max-quoted-lines = 0\n',
    b'delimiter = ";;"\n', b'\x00', b'\xff', b'[[' * 200, b'a = ' + b'[' * 300 + b']' * 300 + b'\n',
    b'rule = "size(name) > "\n', b'expr = "1/0"\n',
]


def seeds(target):
    if target == "csv":
        patterns = ["fixtures/**/*.csv", "fixtures/**/*.tsv", "fixtures/**/*.txt"]
    else:
        patterns = ["rules/**/*.toml", "fixtures/**/*.toml"]
    files = sorted({f for p in patterns for f in glob.glob(os.path.join(ROOT, p), recursive=True)})
    out = []
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read(SEED_BYTES)
        if data:
            out.append(data)
    return out


MAX_CASE_BYTES = 1 << 20


def mutate(rng, data, pool, tokens):
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 3, 5, 8])):
        # Bounded after every step: repeating a long line of a repeated line would
        # otherwise grow without limit.
        del data[MAX_CASE_BYTES:]
        op = rng.randrange(10)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:  # flip a bit
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        elif op in (1, 2):  # insert a token
            data[pos:pos] = rng.choice(tokens)
        elif op == 3 and data:  # delete a range
            data[pos:pos + rng.randrange(1, 64)] = b""
        elif op == 4 and data:  # duplicate a range
            n = rng.randrange(1, 256)
            data[pos:pos] = data[pos:pos + n]
        elif op == 5:  # splice another seed
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            data[pos:] = other[start:start + rng.randrange(1, 4096)]
        elif op == 6:  # truncate
            del data[pos:]
        elif op == 7 and data:  # repeat a line many times
            lines = bytes(data).split(b"\n")
            line = rng.choice(lines)[:4096]
            data[pos:pos] = (line + b"\n") * rng.randrange(2, 2000)
        elif op == 8 and data:  # random byte
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 9:  # change line endings or encoding
            text = bytes(data)
            kind = rng.randrange(4)
            if kind == 0:
                text = text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            elif kind == 1:
                text = text.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
            else:
                codec = "cp1251" if kind == 2 else "utf-16"
                try:
                    text = text.decode("utf-8").encode(codec, errors="replace")
                except UnicodeDecodeError:
                    pass
            data = bytearray(text)
    return bytes(data[:MAX_CASE_BYTES])


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_case(binary, target, data, work):
    out = os.path.join(work, "out")
    if target == "csv":
        path = os.path.join(work, "fuzz.csv")
        with open(path, "wb") as fh:
            fh.write(data)
        cmd = [binary, "audit", path, "--isolated", "--out", out, "--format", "json", "-j", "1"]
    else:
        path = os.path.join(work, "fuzz.toml")
        with open(path, "wb") as fh:
            fh.write(data)
        cmd = [binary, "audit", os.path.join(ROOT, "fixtures/demo/contacts.csv"), "--config", path,
               "--out", out, "--format", "json", "-j", "1"]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        # Once more with time to spare: a busy machine is not a hang.
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=10 * TIMEOUT_S, preexec_fn=limit_memory)
        except subprocess.TimeoutExpired:
            return "timeout", cmd, b"", time.monotonic() - start
    elapsed = time.monotonic() - start
    err = p.stderr
    if p.returncode not in (0, 1, 2) or b"panicked" in err:
        return f"crash (exit {p.returncode})", cmd, err, elapsed
    # An error names the file it is about: the input, or for rules any rule file.
    named = os.path.basename(path).encode() in err or (target == "rules" and b".toml" in err)
    if p.returncode == 2 and not named:
        return "exit 2 without the file name", cmd, err, elapsed
    return f"exit {p.returncode}", cmd, err, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", choices=["csv", "rules"], required=True)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/dist/crmaudit"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"no binary at {args.bin}: build it first (cargo build --profile dist)")
    rng = random.Random(args.seed)
    pool = seeds(args.target)
    tokens = CSV_TOKENS if args.target == "csv" else RULE_TOKENS
    saved = os.path.join(ROOT, "bench/out/fuzz", args.target)
    os.makedirs(saved, exist_ok=True)
    work = tempfile.mkdtemp(prefix="crmaudit-fuzz-")
    if args.target == "rules":
        # Files a mutated `extends` may name, beside it.
        for f in glob.glob(os.path.join(ROOT, "rules/*.toml")):
            shutil.copy(f, work)
        with open(os.path.join(work, "a.toml"), "w") as fh:
            fh.write('extends = ["fuzz.toml"]\n')
    outcomes = collections.Counter()
    failures = 0
    slowest = 0.0
    deadline = time.monotonic() + args.minutes * 60
    execs = 0
    started = time.monotonic()
    next_report = started + 300
    try:
        while time.monotonic() < deadline:
            if time.monotonic() >= next_report:
                next_report += 300
                print(f"  {(time.monotonic() - started) / 60:.0f} min: {execs} executions, {failures} failures",
                      flush=True)
            data = mutate(rng, rng.choice(pool), pool, tokens)
            outcome, cmd, err, elapsed = run_case(args.bin, args.target, data, work)
            execs += 1
            slowest = max(slowest, elapsed)
            outcomes[outcome] += 1
            if not outcome.startswith("exit ") or outcome == "exit 2 without the file name":
                failures += 1
                case = os.path.join(saved, f"case-{args.seed}-{execs}")
                with open(case + ".input", "wb") as fh:
                    fh.write(data)
                with open(case + ".txt", "wb") as fh:
                    fh.write(f"{outcome}\n{' '.join(cmd)}\n".encode() + err[-4000:])
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    minutes = (time.monotonic() - started) / 60
    print(f"target {args.target}: {execs} executions in {minutes:g} min ({execs / (minutes * 60):.1f}/s), "
          f"slowest {slowest:.2f}s, {failures} failures")
    for outcome, n in sorted(outcomes.items()):
        print(f"  {outcome}: {n}")
    if failures:
        print(f"failing cases in {saved}")
        sys.exit(1)


if __name__ == "__main__":
    main()
