"""The example requests live in text files beside the modules that declare them: a section whose
name is misspelt, or a file nobody reads, would silently drop training data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.language import all_languages, read_examples

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def test_every_section_of_every_example_file_is_a_declared_tools_examples() -> None:
    languages = all_languages()
    seen: set[str] = set()
    for path in sorted(TOOLS.rglob("*examples.txt")):
        for name, requests in read_examples(path).items():
            assert name in languages, f"{path.name}: [{name}] is no declared tool"
            assert languages[name].examples == requests, f"{path.name}: [{name}] is not what {name} declares"
            assert name not in seen, f"[{name}] has two sections"
            seen.add(name)
    assert seen == set(languages)


def test_read_examples_skips_comments_and_blank_lines_and_strips(tmp_path: Path) -> None:
    path = tmp_path / "examples.txt"
    path.write_text("# header\n\n[list_jobs]\n  any failed jobs?  \n# a note\njob status pls\n"
                    "[get_job]\nshow job 7\n")
    assert read_examples(path) == {"list_jobs": ("any failed jobs?", "job status pls"),
                                   "get_job": ("show job 7",)}


def test_a_request_before_any_section_is_an_error_that_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "examples.txt"
    path.write_text("# header\nany failed jobs?\n")
    with pytest.raises(ValueError, match=r"examples\.txt:2"):
        read_examples(path)
