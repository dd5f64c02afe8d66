"""lazy_pattern: compiled at first use, then the compiled pattern's own methods; and the
extractors whose patterns are lazy compile none at import."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tracker.extract.text.lazy_pattern import lazy_pattern


def test_nothing_is_compiled_until_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda p, f=0: compiled.append(p) or real(p, f))
    pattern = lazy_pattern(r"(?P<word>[a-z]+)(\d)", re.IGNORECASE)
    assert pattern.pattern == r"(?P<word>[a-z]+)(\d)"  # read without compiling
    assert compiled == []
    assert pattern.search("-- AB1 --") is not None
    assert compiled == [r"(?P<word>[a-z]+)(\d)"]
    pattern.match("x1")
    assert len(compiled) == 1  # once


def test_a_lazy_pattern_reads_as_the_compiled_one() -> None:
    source, flags = r"(?P<word>[a-z]+)(\d)", re.IGNORECASE | re.MULTILINE
    real, lazy = re.compile(source, flags), lazy_pattern(source, flags)
    text = "ab1 CD2\nef3 x"
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.findall(text) == real.findall(text)
    assert lazy.sub(r"<\g<word>>", text) == real.sub(r"<\g<word>>", text)
    assert lazy.subn("-", text) == real.subn("-", text)
    assert lazy.split(text) == real.split(text)
    assert lazy.fullmatch("Zz9") is not None and lazy.match("9") is None
    assert [m and m.span() for m in map(lazy.search, ["a1", "--"])] == [(0, 2), None]
    assert (lazy.flags, lazy.groups, lazy.groupindex) == (real.flags, real.groups,
                                                         real.groupindex)
    assert lazy.search(text).re is real  # type: ignore[union-attr]  # re's own cache


def test_once_compiled_no_attribute_goes_through_getattr() -> None:
    # A class with __getattr__ has every attribute looked up through a Python-level hook.
    pattern = lazy_pattern("a+")
    assert hasattr(type(pattern), "__getattr__")
    pattern.search("aa")
    assert not hasattr(type(pattern), "__getattr__")
    assert pattern.search("baa").span() == (1, 3)  # type: ignore[union-attr]


def test_an_attribute_no_pattern_has_is_an_attribute_error_and_compiles_nothing() -> None:
    pattern = lazy_pattern("(")  # would not compile
    with pytest.raises(AttributeError):
        pattern.nothing  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(re.error):
        pattern.search("(")


# The modules whose module-level patterns are lazy: importing them compiles none (the
# patterns an English one-post ingest never calls cost it about 50 ms of CPU at each start,
# docs/performance.md, "one-post ingest's fixed cost, branch speed29"). A module-level pattern
# added to one of them is a lazy_pattern; one that must be a real re.Pattern (compared with
# `match.re is`, passed to re.sub) goes in another module or leaves this list.
_LAZY_MODULES = (
    "tracker.extract.bare", "tracker.extract.name_context", "tracker.extract.symbol_fields",
    "tracker.extract.ticker_lists", "tracker.extract.phrases", "tracker.extract.chrome",
    "tracker.sentiment.rivalry", "tracker.extract.exchange_codes", "tracker.extract.zh_funds",
    "tracker.extract.text.sentences", "tracker.sentiment.english",
)


def test_the_lazy_modules_compile_no_pattern_at_import() -> None:
    code = (
        "import re, sys, collections\n"
        "real = re._compile\n"
        "seen = collections.Counter()\n"
        "def count(pattern, flags):\n"
        "    caller = sys._getframe(1)\n"
        "    while caller.f_globals.get('__name__') == 're':\n"  # re.compile, re.sub, ...
        "        caller = caller.f_back\n"
        "    if not isinstance(pattern, re.Pattern) and caller.f_code.co_name == '<module>':\n"
        "        seen[caller.f_globals['__name__']] += 1\n"
        "    return real(pattern, flags)\n"
        "re._compile = count\n"
        "import importlib, json\n"
        f"for name in {_LAZY_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(name for name, n in seen.items() if n)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert [name for name in json.loads(done.stdout) if name in _LAZY_MODULES] == []
