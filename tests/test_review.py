"""The review page: counts per rule and per source, sampled removals with
their neighbouring lines, rendered by a real headless browser when one is
installed."""

import json
import os
import shutil
import subprocess

import pytest

from chipclean.cli import main
from chipclean.review import read_audit, render_html, source_label

PAGE = "Chip stocks slide\nListen to the full version\n\nShares fell 4% on Monday.\n\nComments\nNo comments yet\n"


def make_audit(runner, tmp_path, n=3):
    corpus = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"url": f"https://news{i % 2}.example.com/{i}", "text": PAGE.replace("4%", f"{i}%")}) for i in range(n)]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    audit = tmp_path / "corpus.audit.jsonl"
    result = runner.invoke(main, ["clean", "--only", "boilerplate", "--audit", str(audit), "-o", str(tmp_path / "out.jsonl"), str(corpus)])
    assert result.exit_code == 0, result.output
    return audit


def test_counts_and_samples(runner, tmp_path):
    audit = make_audit(runner, tmp_path, n=5)
    review = read_audit(str(audit), samples_per_rule=2)
    assert review.removals == 10 and review.docs == 5
    assert review.rules["en-promos.listen"].removals == 5
    assert review.rules["en-widgets.comments-block"].lines == 10
    assert dict(review.sources) == {"news0.example.com": 6, "news1.example.com": 4}
    assert review.source_docs["news0.example.com"] == 3
    sample = review.sampled("en-promos.listen")
    assert len(sample) == 2
    assert sample[0]["context"] == ["Chip stocks slide", sample[0]["context"][1]]
    assert sample[0]["context"][1].startswith("Shares fell")
    # the same audit gives the same samples
    again = read_audit(str(audit), samples_per_rule=2)
    assert again.sampled("en-promos.listen") == sample


def test_html_escapes_and_shows_context(runner, tmp_path):
    audit = tmp_path / "a.jsonl"
    rec = {"doc": "d1", "source": "https://evil.example/x", "stage": "boilerplate", "rule": "p.r", "start": 0,
           "end": 10, "line": 1, "before": "<script>alert(1)</script>\n", "after": "",
           "context": ["before <b>", "after & more"]}
    audit.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    page = render_html(read_audit(str(audit)))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "before &lt;b&gt;" in page and "after &amp; more" in page
    assert '<tr data-source="evil.example">' in page


def test_cli_text_summary_and_bad_lines(runner, tmp_path):
    audit = make_audit(runner, tmp_path)
    with open(audit, "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    result = runner.invoke(main, ["review", str(audit)])
    assert result.exit_code == 123
    assert f"{audit}:7: not valid JSON" in result.stderr
    assert "en-promos.listen" in result.stdout and "6 removals in 3 documents" in result.stdout


def test_cli_missing_audit_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["review", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_source_label():
    assert source_label("https://www.example.com/a") == "example.com"
    assert source_label("corpus/site-a/page.txt") == "corpus/site-a"
    assert source_label("") == "(no source)"


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_page_renders_its_counts_in_a_headless_browser(runner, tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium or Chrome found on PATH; install Debian's chromium package to run this test")
    audit = make_audit(runner, tmp_path, n=4)
    page = tmp_path / "review.html"
    result = runner.invoke(main, ["review", str(audit), "--html", str(page)])
    assert result.exit_code == 0, result.output
    env = dict(os.environ, HOME=str(tmp_path))  # chromium writes its profile under HOME
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, env=env,
    )
    dom = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    # the browser parsed the page: counts are in the DOM it built
    assert '<b id="total-removals">8</b>' in dom
    assert '<tr data-rule="en-promos.listen">' in dom
    assert '<td class="n removals">4</td>' in dom
    assert 'data-source="news0.example.com"' in dom
    assert "No comments yet" in dom and "Shares fell" in dom
