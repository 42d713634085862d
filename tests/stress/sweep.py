#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""stress_sweep: tenderscan over the peer test suites in ../shared/corpus/stress (qpdf, Apache POI).

Runs `tenderscan -f jsonl -j2 --timeout 30` once over the whole corpus, as a user would, and fails
on what must never happen whatever the input:

- tenderscan itself crashes or stops with an exit code other than 0, 1 or 3 (a worker that
  crashes is the document's grade `error`, which is fine), or does not finish within --deadline;
- a sanitizer report (ASan/UBSan/LSan) on standard error, from tenderscan or a worker;
- anything on standard output that is not a report line, or a corpus file missing from the report;
- a file stopped by the timeout or by the memory bound (an error whose message says so) that
  tests/stress/expected.tsv does not list with grade `error`;
- a file graded `ok` that expected.tsv does not list as `ok`: that list is the reviewed result of
  checking each file with qpdf/poppler (pdfinfo, qpdf --check) or by hand; a line whose reason
  starts with TODO(#N) is a known wrong grade, reported but not failed until issue N is fixed;
- the largest resident set of tenderscan or any of its workers over --max-rss-mb.

It prints the figures: files, grades, the slowest files (each file's wall time is taken from when
its --state record was written: a worker thread takes the next file as soon as it is free, so a
file starts when the earlier of the two finished or the report window let it), the largest
resident set (getrusage RUSAGE_CHILDREN: the largest single process among tenderscan and its
workers), and the duration. --review (tools/stress-review.sh) fails on nothing and lists every
`ok` file not in the list with pdfinfo's page count and errors and qpdf --check beside it, ready
to be pasted into expected.tsv after a look.

    sweep.py --tenderscan BIN --corpus DIR --expected TSV --work DIR [--review] [--jsonl FILE]

Exits 77 (ctest: skipped) when the corpus folder is absent. Standard library only.
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

SKIP = 77
JOBS = 2
TIMEOUT = 30
WINDOW = JOBS * 4  # how far the workers may run ahead of the report (src/cli/cmd_scan.c)
SANITIZER = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|runtime error:|"
    r"UndefinedBehaviorSanitizer"
)
# the messages of a worker stopped by --timeout, by its processor-time limit or by --max-memory
TIMED_OUT = re.compile(r"--timeout|longer than|lenger enn|processor time|prosessortid", re.I)
MEMORY = re.compile(r"memory|minne", re.I)
CRASHED = re.compile(r"crashed|krasjet", re.I)
TODO = re.compile(r"^TODO\(#\d+\)")


def load_expected(path):
    """{relative path: (grade, reason)}; '#' lines and blank lines are comments."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 3 or cols[1] not in ("ok", "review", "block", "error"):
                sys.exit(f"{path}:{n}: want 'path<TAB>ok|review|block|error<TAB>reason': {line}")
            if cols[0] in out:
                sys.exit(f"{path}:{n}: {cols[0]} is listed twice")
            out[cols[0]] = (cols[1], cols[2])
    return out


def corpus_files(root):
    """Regular files under root as tenderscan walks them (symlinks are not followed)."""
    files = []
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in names:
            p = os.path.join(d, n)
            if os.path.isfile(p) and not os.path.islink(p):
                files.append(p)
    return files


class StateWatch(threading.Thread):
    """Notes when each --state record appears: the moment its file was done."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.done = {}  # path -> seconds since the run started
        self.opened = None  # when the state file got its header (tenderscan is set up)
        self.stop = threading.Event()
        self.t0 = time.monotonic()

    def run(self):
        pos, tail = 0, b""
        while True:
            last = self.stop.is_set()
            try:
                with open(self.path, "rb") as f:
                    f.seek(pos)
                    chunk = f.read()
            except FileNotFoundError:
                chunk = b""
            now = time.monotonic() - self.t0
            pos += len(chunk)
            tail += chunk
            *lines, tail = tail.split(b"\n")
            for line in lines:
                if self.opened is None:
                    self.opened = now
                key = line.split(b"\t", 1)[0]
                try:
                    p = bytes.fromhex(json.loads(key)["p"]).decode("utf-8", "surrogateescape")
                except (ValueError, KeyError, TypeError):
                    continue  # the header line
                self.done.setdefault(p, now)
            if last:
                return
            self.stop.wait(0.05)


def file_times(order, done, start):
    """Each file's wall time: the pool of JOBS threads takes the files in report order."""
    free = [start] * JOBS
    times = {}
    upto = []  # upto[i]: when files 0..i were all done (the report had moved past them)
    for i, p in enumerate(order):
        release = upto[i - WINDOW] if i >= WINDOW else start
        free.sort()
        begin = max(free.pop(0), release)
        end = max(done.get(p, begin), begin)  # a file with no record (unreadable) took no time
        free.append(end)
        upto.append(max(end, upto[-1]) if upto else end)
        times[p] = end - begin
    return times


def run_sweep(args, files):
    os.makedirs(args.work, exist_ok=True)
    jsonl = os.path.join(args.work, "sweep.jsonl")
    errlog = os.path.join(args.work, "sweep.stderr")
    state = os.path.join(args.work, "sweep.state")
    for p in (jsonl, errlog, state):
        if os.path.exists(p):
            os.remove(p)
    # --show-secrets: a file name holding a credential is masked in reports, and would then not
    # match its file here; the report stays in the build folder
    cmd = [args.tenderscan, "-f", "jsonl", f"-j{JOBS}", "--timeout", str(TIMEOUT), "--lang", "en",
           "--no-progress", "--show-secrets", "--state", state, args.corpus]
    env = dict(os.environ, LANG="C.UTF-8")
    env.pop("LC_ALL", None)
    print("$ " + " ".join(cmd), flush=True)
    watch = StateWatch(state)
    watch.start()
    t0 = time.monotonic()
    with open(jsonl, "wb") as out, open(errlog, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, start_new_session=True)
        try:
            rc = proc.wait(timeout=args.deadline)
            hung = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            rc = proc.wait()
            hung = True
    wall = time.monotonic() - t0
    watch.stop.set()
    watch.join()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "jsonl": jsonl, "stderr": errlog, "rc": rc, "hung": hung, "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime, "maxrss_mb": ru.ru_maxrss / 1024,
        "done": watch.done, "start": watch.opened or 0.0,
    }


def read_report(path, files):
    """(top-level documents by path in report order, all documents, lines that are not JSON)."""
    tops, docs, junk = {}, [], []
    wanted = set(files)
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                d = json.loads(raw)
            except ValueError:
                junk.append((n, raw[:120]))
                continue
            if not isinstance(d, dict) or "path" not in d:
                continue  # a run or summary record
            docs.append(d)
            if d["path"] in wanted and d["path"] not in tops:
                tops[d["path"]] = d
    return tops, docs, junk


def top_of(path, tops):
    """The corpus file a report line belongs to: itself, or the file before a '!'."""
    if path in tops:
        return path
    i = path.find("!")
    while i != -1:
        if path[:i] in tops:
            return path[:i]
        i = path.find("!", i + 1)
    return None


def pdf_check(path):
    """pdfinfo's page count and first error, and qpdf --check's verdict, for the review."""
    notes = []
    if shutil.which("pdfinfo"):
        r = subprocess.run(["pdfinfo", path], capture_output=True, text=True, errors="replace",
                           timeout=60)
        pages = re.search(r"^Pages:\s*(\d+)", r.stdout, re.M)
        errs = [line for line in r.stderr.splitlines() if line.strip()]
        notes.append(f"pdfinfo pages={pages.group(1) if pages else '?'}"
                     + (f" errors={len(errs)} ({errs[0][:80]})" if errs else ""))
    if shutil.which("qpdf"):
        r = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True,
                           errors="replace", timeout=60)
        n = subprocess.run(["qpdf", "--show-npages", path], capture_output=True, text=True,
                           errors="replace", timeout=60)
        verdict = {0: "clean", 2: "errors", 3: "warnings"}.get(r.returncode, f"rc={r.returncode}")
        first = next((line for line in (r.stderr + r.stdout).splitlines()
                      if ("WARNING" in line or "error" in line.lower())
                      and not line.startswith("No syntax or stream encoding errors")), "")
        first = first.replace(path, "").replace("WARNING: :", "WARNING:")
        notes.append(f"qpdf --check {verdict} npages={n.stdout.strip() or '?'}"
                     + (f" ({first[:100]})" if first else ""))
    return "; ".join(notes) or "neither pdfinfo nor qpdf is installed"


def zip_check(path):
    """For the review of a ZIP-based file: every member's CRC and every XML part well-formed."""
    import xml.etree.ElementTree as ET
    import zipfile
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            if bad:
                return f"zip: CRC error in {bad}"
            parts = [n for n in z.namelist() if n.endswith((".xml", ".rels", ".vml"))]
            for n in parts:
                if z.getinfo(n).file_size > 64 << 20:
                    return f"zip: {n} is over 64 MiB"
                try:
                    ET.fromstring(z.read(n))
                except ET.ParseError as e:
                    return f"zip: {n} is not well-formed XML ({e})"
            return f"zip: {len(z.namelist())} members, CRCs and {len(parts)} XML parts good"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:
        return f"zip: {e}"


def ole_check(path):
    """For the review of an OLE2 file: every stream read with olefile (python3-olefile)."""
    try:
        import olefile
    except ImportError:
        return "olefile not installed (apt-get install python3-olefile)"
    try:
        with olefile.OleFileIO(path, raise_defects=olefile.DEFECT_INCORRECT) as o:
            streams = o.listdir(streams=True, storages=False)
            for st in streams:
                o.openstream(st).read()
            issues = [f"{e.__name__}: {m}" for e, m in o.parsing_issues]
            return f"olefile: {len(streams)} streams read" + (f"; {issues[0]}" if issues else "")
    except Exception as e:  # olefile raises plain OSError and its own errors alike
        return f"olefile: {type(e).__name__}: {e}"


def review_note(path, fmt):
    if fmt == "pdf":
        return pdf_check(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK"):
        return f"format {fmt}; " + zip_check(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"format {fmt}; " + ole_check(path)
    return f"format {fmt}"


def rescan_alone(args, path):
    """The top-level document of `path` scanned alone (-j 1), or None when that run failed."""
    try:
        out = subprocess.run([args.tenderscan, "-q", "-f", "jsonl", "-j", "1", "--timeout", "30",
                              "--show-secrets", path], capture_output=True, timeout=120,
                             check=False)
    except subprocess.TimeoutExpired:
        return None
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if d.get("path") == path:
            return d
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tenderscan", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--work", required=True, help="scratch folder for the report and logs")
    ap.add_argument("--deadline", type=float, default=800,
                    help="seconds the whole run may take before it counts as hung")
    # An ASan build runs its workers without --max-memory (RLIMIT_AS cannot bound ASan), so this
    # is its only bound: poppler's allocation loop on shared-unnamed-field.pdf reaches 0.8-1.05 GB
    # under ASan in the 30 s it has (59 MB in a Release build).
    ap.add_argument("--max-rss-mb", type=float, default=3072,
                    help="largest resident set of tenderscan or one worker, ASan's included")
    ap.add_argument("--review", action="store_true",
                    help="list the ok files to review; fail on nothing")
    ap.add_argument("--jsonl", help="with --review: read this earlier sweep report, do not scan")
    args = ap.parse_args()

    if not os.path.isdir(args.corpus):
        print(f"{args.corpus} is absent: skipped")
        return SKIP
    args.corpus = os.path.abspath(args.corpus)
    expected = load_expected(args.expected)
    files = corpus_files(args.corpus)
    rel = {p: os.path.relpath(p, args.corpus) for p in files}
    failures = []

    if args.jsonl:
        res = {"jsonl": args.jsonl, "stderr": None, "rc": 0, "hung": False, "wall": 0, "cpu": 0,
               "maxrss_mb": 0, "done": {}, "start": 0}
    else:
        res = run_sweep(args, files)
    tops, docs, junk = read_report(res["jsonl"], files)

    # ---- the run itself
    if res["hung"]:
        failures.append(f"tenderscan did not finish within {args.deadline:g} s: killed (a hang)")
    elif res["rc"] not in (0, 1, 3):
        how = f"signal {-res['rc']}" if res["rc"] < 0 else f"exit code {res['rc']}"
        failures.append(f"tenderscan itself stopped with {how} (0, 1 or 3 expected)")
    sanitizer = []
    if res["stderr"]:
        with open(res["stderr"], encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        for i, line in enumerate(lines):
            if SANITIZER.search(line):
                sanitizer.append("\n".join(lines[i:i + 12]))
        if sanitizer:
            failures.append(f"{len(sanitizer)} sanitizer reports on standard error "
                            f"({res['stderr']}); the first:\n{sanitizer[0]}")
    for n, raw in junk[:5]:
        failures.append(f"standard output line {n} is not a report line: {raw!r}")
    missing = [rel[p] for p in files if p not in tops]
    if missing and not res["hung"]:
        failures.append(f"{len(missing)} files are missing from the report, e.g. {missing[:5]}")
    if res["maxrss_mb"] > args.max_rss_mb:
        failures.append(f"a process used {res['maxrss_mb']:.0f} MB resident "
                        f"(bound {args.max_rss_mb:g} MB): a worker escaped the memory bound")

    # ---- documents
    limit_hits = {}  # top-level path -> message
    crashed = []
    for d in docs:
        msg = d.get("error") or ""
        if not msg:
            continue
        top = top_of(d["path"], tops)
        if top is None:
            continue
        if TIMED_OUT.search(msg) or MEMORY.search(msg):
            limit_hits.setdefault(top, msg)
        if CRASHED.search(msg):
            crashed.append(rel[top])
    retried = []
    for top, msg in sorted(limit_hits.items()):
        want = expected.get(rel[top], (None, ""))[0]
        if want == "error":
            continue
        # Under ASan a worker started again (after one was stopped) is forked from a process
        # whose other threads may hold the sanitizer allocator's lock (GCC 12's libasan has no
        # fork handler; glibc's malloc in a Release build has one), and can hang on its next
        # file. Such a file is scanned once more alone: stopped again, it fails; read, it is
        # counted in the figures, never hidden.
        again = None if args.jsonl else rescan_alone(args, top)
        if again is not None and not (TIMED_OUT.search(again.get("error") or "") or
                                      MEMORY.search(again.get("error") or "")):
            retried.append(f"{rel[top]}: stopped in the batch ({msg[:60]}…), read alone: "
                           f"{again['grade']}")
            tops[top] = again
            continue
        failures.append(f"{rel[top]}: stopped by a limit, not listed as an expected error "
                        f"in {args.expected}: {msg}")
    unlisted_ok, known, stale = [], [], []
    for p, d in tops.items():
        want, reason = expected.get(rel[p], (None, ""))
        if d["grade"] == "ok" and want != "ok":
            if want is not None and TODO.match(reason):
                known.append(f"{rel[p]}: graded ok, should be {want}: {reason}")
            else:
                unlisted_ok.append(p)
        elif want == "ok" and d["grade"] != "ok":
            stale.append(f"{rel[p]}: listed ok, now {d['grade']} ({d.get('error') or ''})")
        elif want is not None and TODO.match(reason) and d["grade"] != "ok":
            stale.append(f"{rel[p]}: now {d['grade']}: {reason.split(':')[0]} fixed? "
                         "drop the TODO")
    for p in sorted(unlisted_ok):
        if not args.review:
            failures.append(f"{rel[p]}: graded ok but not reviewed as ok in {args.expected} "
                            "(tools/stress-review.sh lists such files with pdfinfo/qpdf)")
    gone = sorted(set(expected) - set(rel.values()))

    # ---- figures: printed, and kept in WORK/figures.txt (ctest shows a passing test's output
    # only with -V)
    figures = []
    grades = {}
    for d in tops.values():
        grades[d["grade"]] = grades.get(d["grade"], 0) + 1
    figures.append(f"files: {len(files)} (report lines: {len(docs)}, embedded parts included)")
    figures.append("grades: " + ", ".join(f"{g} {grades.get(g, 0)}"
                                          for g in ("ok", "review", "block", "error")))
    figures.append(f"stopped by a limit: {len(limit_hits)}; a reader crashed (graded error): "
                   f"{len(crashed)}" + (f" {crashed[:5]}" if crashed else ""))
    if res["done"]:
        order = [p for p in tops]  # report order is the order the workers took the files
        times = file_times(order, res["done"], res["start"])
        slow = sorted(times.items(), key=lambda kv: kv[1], reverse=True)[:5]
        figures.append("slowest files (wall s, from the --state records): "
                       + ", ".join(f"{rel[p]} {t:.1f}" for p, t in slow))
        figures.append(f"start-up before the first file: {res['start']:.1f} s")
    if not args.jsonl:
        figures.append("largest resident set (tenderscan or one worker): "
                       f"{res['maxrss_mb']:.0f} MB")
        figures.append(f"duration: {res['wall']:.1f} s wall, {res['cpu']:.1f} s CPU; "
                       f"exit code {res['rc']}")
    for line in retried:
        figures.append("stopped in the batch, read alone (a worker restarted under ASan hung: "
                       "see isolate.c spawn): " + line)
    for line in known:
        figures.append("known (TODO): " + line)
    for line in stale:
        figures.append("changed: " + line)
    for g in gone:
        figures.append(f"listed but not in the corpus: {g}")

    for line in figures:
        print(line)
    if not args.jsonl:
        with open(os.path.join(args.work, "figures.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(figures) + "\n")
    if args.review:
        print(f"\n# {len(unlisted_ok)} files graded ok and not listed as ok; check each, then add "
              "its line (path, grade, reason) to " + args.expected)
        for p in sorted(unlisted_ok):
            d = tops[p]
            note = review_note(p, d.get("format"))
            print(f"{rel[p]}\tok\t{note}")
        return 0
    for f in failures:
        print("FAIL: " + f)
    print(f"stress_sweep: {'FAILED' if failures else 'passed'} "
          f"({len(failures)} failures, {len(files)} files)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
