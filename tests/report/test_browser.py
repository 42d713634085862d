#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""report_browser: a real browser (headless Chromium) opens an HTML report.

Checks that the DOM after load shows every document with its grade, that the filter script works
(a URL fragment such as #grade=block hides the others), that nothing from a hostile document
runs, that there are no console errors (CSP violations included), and saves a screenshot.

    test_browser.py TENDERSCAN_BINARY ARTIFACT_DIR

Exits 77 (ctest: skipped) when Chromium is not installed; tools/test.sh installs it.
Standard library only.
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--enable-logging=stderr", "--v=0",
]
HOSTILE_NAME = '"><img src=x onerror=alert(1)>.txt'
# each line holds an address, so the line is quoted in the report as a finding's context
HOSTILE_TEXT = (
    '10.20.1.1 <script>document.body.setAttribute("data-pwned","1")</script>\n'
    "10.20.1.2 <img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">\n"
)

passed = 0
failed = 0


def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what + (": " + detail if detail else ""))


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Dom(html.parser.HTMLParser):
    """Elements with their attributes, in document order, plus the text of #shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.shown_text = ""
        self._in_shown = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        self._in_shown = a.get("id") == "shown"

    def handle_endtag(self, tag):
        self._in_shown = False

    def handle_data(self, data):
        if self._in_shown:
            self.shown_text += data

    def by_tag(self, tag):
        return [a for t, a in self.elements if t == tag]

    def by_id(self, ident):
        for _t, a in self.elements:
            if a.get("id") == ident:
                return a
        return None


def chromium(binary, url, extra, profile):
    cmd = [binary] + FLAGS + ["--user-data-dir=" + profile] + extra + [url]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def console_errors(log):
    bad = []
    for line in log.splitlines():
        if "CONSOLE" in line or "Uncaught" in line or "Content Security Policy" in line:
            bad.append(line.strip())
    return bad


def main():
    if len(sys.argv) != 3:
        print("usage: test_browser.py TENDERSCAN_BINARY ARTIFACT_DIR", file=sys.stderr)
        return 2
    tenderscan, artifacts = sys.argv[1], sys.argv[2]
    browser = find_chromium()
    if browser is None:
        print("skipped: Chromium is not installed (Debian package chromium; tools/test.sh "
              "installs it)")
        return SKIP
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="ts-browser-")
    try:
        files = os.path.join(work, "pakke")
        os.makedirs(os.path.join(files, "vedlegg"))
        samples = {
            "nettverk.txt": "Kjernesvitsj 10.20.1.1/24\npassord: Sommer2024!\n",
            "brev.txt": "Tilbudet leveres innen fristen.\n",
            "vedlegg/plan.txt": "Servernett 10.1.2.3\n",
            "tom.txt": "",
            HOSTILE_NAME: HOSTILE_TEXT,
        }
        for name, text in samples.items():
            with open(os.path.join(files, name), "w", encoding="utf-8") as f:
                f.write(text)
        report = os.path.join(work, "rapport.html")
        p = subprocess.run([tenderscan, "--lang", "nb", "-f", "html", "-q", "-o", report, files])
        check("tenderscan wrote the report (exit 3: one file could not be read)",
              p.returncode == 3 and os.path.getsize(report) > 0, "exit %d" % p.returncode)
        p = subprocess.run([tenderscan, "-f", "jsonl", "-q", files], stdout=subprocess.PIPE)
        want = {}
        for line in p.stdout.decode("utf-8").splitlines():
            d = json.loads(line)
            want[d["path"]] = d["grade"]
        check("the JSON report has every file", len(want) == len(samples), str(want))
        url = "file://" + report

        # 1. the page as it loads, and a screenshot
        profile = tempfile.mkdtemp(dir=work)
        shot = os.path.join(artifacts, "report-nb.png")
        if os.path.exists(shot):
            os.remove(shot)
        rc, dom_text, log = chromium(browser, url, ["--dump-dom"], profile)
        check("chromium dumped the DOM", rc == 0 and "</html>" in dom_text, log[-500:])
        dom = Dom()
        dom.feed(dom_text)
        sections = [a for a in dom.by_tag("section") if "data-grade" in a]
        check("one section per document", len(sections) == len(want),
              "%d sections" % len(sections))
        texts = dom_text
        for path, grade in sorted(want.items()):
            shown = html_escape_text(path)
            check("%s appears with grade %s" % (path, grade),
                  shown in texts and any(a.get("data-grade") == grade for a in sections))
        check("every section is shown after load",
              all(a.get("data-shown") == "1" and "hidden" not in a for a in sections))
        filters = dom.by_id("filters")
        check("the script showed the filter controls", filters is not None
              and "hidden" not in filters)
        check("the count line says all are shown",
              dom.shown_text.strip() == "%d av %d dokumenter vises" % (len(want), len(want)),
              dom.shown_text)
        check("nothing from the hostile document ran", 'data-pwned="' not in dom_text
              and all("data-pwned" not in a for _t, a in dom.elements))
        check("no <img> element came from document text", not dom.by_tag("img"))
        check("the hostile text is shown as text",
              '&lt;script&gt;document.body.setAttribute("data-pwned","1")' in dom_text
              and "&lt;img src=x onerror=\"document.body" in dom_text)
        errors = console_errors(log)
        check("no console errors", not errors, "\n".join(errors[:5]))
        # the console check must be able to fail: a tampered copy with a foreign inline script
        # is refused by the page's Content-Security-Policy, and the refusal is logged
        tampered = os.path.join(work, "tampered.html")
        with open(report, encoding="utf-8") as f:
            page = f.read()
        with open(tampered, "w", encoding="utf-8") as f:
            f.write(page.replace("<main>", "<main><script>document.title='x'</script>", 1))
        profile = tempfile.mkdtemp(dir=work)
        rc, _out, log = chromium(browser, "file://" + tampered, ["--dump-dom"], profile)
        check("a foreign inline script is blocked and shows as a console error",
              any("Content Security Policy" in e or "Refused" in e for e in console_errors(log)),
              log[-800:])
        profile = tempfile.mkdtemp(dir=work)
        rc, _out, log = chromium(browser, url, ["--screenshot=" + shot, "--window-size=1280,1500",
                                                "--hide-scrollbars"], profile)
        check("a screenshot was saved", rc == 0 and os.path.exists(shot)
              and os.path.getsize(shot) > 10000 and open(shot, "rb").read(8) == b"\x89PNG\r\n\x1a\n",
              log[-500:])
        check("no console errors while taking it", not console_errors(log))

        # 2. filtering by a URL fragment, without a server
        for frag, keep in (("#grade=block", lambda a: a["data-grade"] == "block"),
                           ("#grade=review,error", lambda a: a["data-grade"] in ("review", "error")),
                           ("#cat=credential", lambda a: "credential" in a["data-cats"].split()),
                           # a malformed %-escape must not break the script
                           ("#grade=block,review%ZZ", lambda a: a["data-grade"] == "block")):
            profile = tempfile.mkdtemp(dir=work)
            rc, dom_text, log = chromium(browser, url + frag, ["--dump-dom"], profile)
            dom = Dom()
            dom.feed(dom_text)
            items = [a for a in dom.by_tag("section") + dom.by_tag("tr") if "data-grade" in a]
            good = [a for a in items if keep(a)]
            check(frag + " keeps the matching documents", good and all(
                a.get("data-shown") == "1" and "hidden" not in a for a in good))
            check(frag + " hides the others", all(
                a.get("data-shown") == "0" and "hidden" in a for a in items if not keep(a))
                and len(good) < len(items))
            n = sum(1 for a in dom.by_tag("section") if "data-grade" in a and keep(a))
            check(frag + " says how many are shown",
                  dom.shown_text.strip() == "%d av %d dokumenter vises" % (n, len(want)),
                  dom.shown_text)
            check(frag + " without console errors", not console_errors(log))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def html_escape_text(s):
    """How Chromium serialises a text node: & < > escaped, quotes left as they are."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


if __name__ == "__main__":
    sys.exit(main())
