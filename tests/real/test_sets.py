"""The real-question sets: well-formed, split by site, and the test split frozen."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
# sha256 of test.yml as written on 2026-12-04; the test split is scored, never edited
FROZEN_TEST_SHA256 = "0128412d2a5e28db03ceb2a062403158278bbd9504f5b9d7bdbb0b151a571b4c"


def load(name: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{name}.yml").read_text(encoding="utf-8"))["questions"]


def test_the_test_split_is_frozen() -> None:
    digest = hashlib.sha256((HERE / "test.yml").read_bytes()).hexdigest()
    assert digest == FROZEN_TEST_SHA256, "tests/real/test.yml is frozen: add to dev.yml instead"


def test_splits_share_no_site_and_no_question() -> None:
    dev, test = load("dev"), load("test")
    assert len(test) >= 100
    assert not {q["site"] for q in dev} & {q["site"] for q in test}
    assert not {q["question"] for q in dev} & {q["question"] for q in test}


def test_every_question_has_a_source_and_facts() -> None:
    for q in load("dev") + load("test"):
        assert q["url"].startswith("http"), q["id"]
        assert q["question"].strip(), q["id"]
        assert q["facts"] and all(isinstance(f, list) and f for f in q["facts"]), q["id"]
        assert q["fact_source"]["url"], q["id"]


# No card or procedure record may cite the very page a test question was asked on (the
# asker's letter and its published answer): written from it, it could carry that answer, and
# the question would no longer measure an unseen one. Five cards of the first two sessions
# did; they were sourced again without those pages, and their questions are scored apart
# (cited_before.yml, docs/evaluation.md).


def test_no_card_or_record_cites_a_test_questions_page() -> None:
    from assistant.realeval import cited_question_pages, load_questions, repository_source_pages

    cited = cited_question_pages(load_questions("test"), repository_source_pages())
    assert not cited, sorted({owner for owners in cited.values() for owner in owners})


def test_the_questions_once_cited_are_test_questions() -> None:
    from assistant.realeval import once_cited

    assert once_cited("test") <= {q["id"] for q in load("test")}
    assert len(once_cited("test")) == 7


def test_no_new_card_cites_a_copy_of_a_test_site_page() -> None:
    """A copy of a test-split site's page kept elsewhere carries that page's answer under
    another address: no card or record beyond the known ones (copies_cited.yml) cites one —
    thuvienphapluat.vn's pages (thư viện pháp luật, the tai_lieu_noi_bo repository) or the
    national portal's procedure pages (dichvucong.gov.vn, kept in the ai-thuc-chien-2025
    repository; five records cited it until 2026-12-07)."""
    import re

    known = set(yaml.safe_load((HERE / "copies_cited.yml").read_text())["files"])
    paths = [*ROOT.glob("knowledge/cards/**/*.md"), *ROOT.glob("procedures/records/*.yml")]
    copies = r"thư viện pháp luật|thuvienphapluat|tai_lieu_noi_bo|ai-thuc-chien-2025"
    citing = {
        str(p.relative_to(ROOT))
        for p in paths
        if re.search(copies, p.read_text(), re.IGNORECASE)
    }
    assert citing <= known, sorted(citing - known)


def test_no_card_or_record_cites_a_test_site() -> None:
    """A card or record written from a site the test questions come from may carry that
    site's view of the very topics asked there (the split is by site): none cites any page of
    a test-split site, beyond those listed in sites_cited.yml (empty since 2026-12-07)."""
    from assistant.realeval import repository_source_pages

    sites = {q["site"].lower() for q in load("test")}
    known = set(yaml.safe_load((HERE / "sites_cited.yml").read_text())["owners"] or [])
    citing = {
        owner
        for page, owners in repository_source_pages().items()
        if any((host := page.split("/", 1)[0]) == s or host.endswith("." + s) for s in sites)
        for owner in owners
    }
    assert citing <= known, sorted(citing - known)
