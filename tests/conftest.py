"""Shared fixtures: a config in a temporary folder, the seeds (ingested once per run), and the
gold expectations."""

from __future__ import annotations

import gc
import gzip
import json
import os
import shutil
import signal
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import is_hypothesis_test, settings
from hypothesis.configuration import set_hypothesis_home_dir

from tests import blas  # noqa: F401  (before numpy loads)
from tests.fixtures.fixed_scorer import FixedScorer
from tracker.cli.collector import GC_THRESHOLD
from tracker.config import Config, load_config
from tracker.data.user_cache import ENV_VAR as CACHE_ENV_VAR
from tracker.sentiment import register_scorer

if TYPE_CHECKING:
    # Imported by the fixture that builds one, not here: the process that hands the test
    # files to pytest-xdist's workers runs no test but imports this file, and the analyzer's
    # modules (numpy, the extractors, the scorers' code) cost it 0.2-0.3 s of CPU on two
    # cores the workers need (docs/performance.md, "The test suite, ninth pass").
    from tracker.ingest.analyze import Analyzer

# The test processes collect cyclic garbage as the command does (tracker.cli.collector),
# not at Python's default of every 700 net allocations: a worker holds the universe, the name
# index, the tone models and hypothesis's tables, half a million objects that are no garbage,
# and each of its full collections scanned them all again (16 of them took 2.1-2.4 s of each
# worker's CPU in make test-fast at 700, 3 took 0.4-0.7 s at 10,000: docs/performance.md,
# "The test suite, fifth pass").
gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection made (the test modules, their items and what they imported: 220,000
    objects in a worker of make test-fast) moved out of the collector's reach: it lives until
    the run ends, and each full collection scanned it again, the two at a worker's exit
    (pytest's check for unraisable exceptions) included. Their CPU went from 0.7-1.0 s to
    0.3-0.4 s a worker (docs/performance.md, "The test suite, sixth pass")."""
    gc.freeze()

# In CI, property tests draw the same examples on every run, so a red build is reproducible
# and never a new random draw; on a developer's machine they keep exploring.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The tone models' n-gram trees are kept between runs (tracker.data.user_cache): a test
# run, and the commands its tests start, keep them in a folder of its own, removed at the
# end, and write none in the user's cache folder.
# Hypothesis keeps its example database and caches (unicode tables, the constants it found
# in the code) in ./.hypothesis by default, a folder the tests would leave in the checkout;
# a test run keeps them in that folder too. A failure found on a developer's machine is not
# replayed by the next run, as it would be from ./.hypothesis; the example it printed is (and
# CI draws the same examples every run anyway).
# One folder per run, not per process: the process that starts the run makes it (and
# removes it at the end), and its pytest-xdist workers, which inherit its environment, use
# it too. Each worker built the entries and tables again in a folder of its own: 0.6 s of
# CPU for the models' entries and 1.1 s for hypothesis's unicode tables, at its first
# Analyzer and its first text strategy (docs/performance.md, "The test suite, third pass").
# Both caches are safe to share: entries are written to a temporary file and renamed.
_RUN_VAR = "TRACKER_TEST_RUN_DIR"
_OWNS_RUN_DIR = not (os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get(_RUN_VAR))

# The tests' temporary folders (tmp_path, the run's folder above, what the commands they
# start write) go in memory, on /dev/shm, where it is a folder with room (RAM_TMP_MIN free)
# and TMPDIR does not name another: each SQLite commit waits for its fsync on a disk, and
# make test-fast's databases call fsync 2,900 times, 4-7 ms each here (9 s of its two workers'
# wall time at load 15; none on tmpfs: docs/performance.md, "Issue 23, the test suite,
# fourth pass").
# What the tests check does not depend on the data reaching the disk. Set TMPDIR to keep
# them elsewhere. pytest-xdist's workers inherit the variable and the folder pytest made.
RAM_TMP = Path("/dev/shm")
RAM_TMP_MIN = 4 << 30


def ram_tmp_dir() -> Path | None:
    """RAM_TMP where the tests' temporary folders should go, or None for the default."""
    if os.environ.get("TMPDIR"):
        return None
    try:
        room = os.statvfs(RAM_TMP)
    except OSError:
        return None
    if not os.access(RAM_TMP, os.W_OK | os.X_OK) or room.f_bavail * room.f_frsize < RAM_TMP_MIN:
        return None
    return RAM_TMP


if _OWNS_RUN_DIR and (_ram := ram_tmp_dir()) is not None:
    os.environ["TMPDIR"] = str(_ram)
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again
if _OWNS_RUN_DIR:
    os.environ[_RUN_VAR] = tempfile.mkdtemp(prefix="tracker-test-run-")
_RUN_DIR = Path(os.environ[_RUN_VAR])
os.environ[CACHE_ENV_VAR] = str(_RUN_DIR / "cache")
set_hypothesis_home_dir(_RUN_DIR / "hypothesis")

# Hypothesis's table of the characters UTF-8 encodes, which every st.text() reads: hypothesis
# builds it by encoding and decoding each of the 1,114,112 code points one at a time, 1.1-1.3
# s of CPU at each run's first text strategy (docs/performance.md, "The test suite, sixth
# pass"). It is every code point but the surrogates, and each of those decodes as itself
# (tests/test_harness.py checks both against the codec, and the slow suite against the table
# hypothesis builds): the run's process writes it where and as hypothesis's own loop would,
# once its plugin has started (hypothesis warns of a write while it initialises). A hypothesis
# that names or shapes the table otherwise builds its own, as before.
UTF8_TABLE = ([[0, 0xD7FF], [0xE000, sys.maxunicode]], [])


def write_utf8_table() -> Path:
    """UTF8_TABLE written where hypothesis looks for its UTF-8 table; the file's path."""
    # Imported here, not with the module: a hypothesis release that moved its internal
    # charmap_file fails tests/test_harness.py, which checks the table, not every test's
    # collection (pyproject.toml asks for hypothesis>=6.100, not one release).
    from hypothesis.internal.charmap import charmap_file

    path = charmap_file("codec-v2-utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=1) as table:
        table.write(json.dumps(UTF8_TABLE).encode())
    return path


@pytest.hookimpl(trylast=True)  # after hypothesis's own, which ends its initialisation
def pytest_sessionstart(session: pytest.Session) -> None:
    if _OWNS_RUN_DIR:
        try:
            write_utf8_table()
        except ImportError:
            pass  # hypothesis builds its own table, as before; test_harness.py says why


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWNS_RUN_DIR:
        shutil.rmtree(_RUN_DIR, ignore_errors=True)


# make test-fast's property tests draw at most FAST_EXAMPLES examples each, where their
# own settings ask for more (300-500 for most): make test, and any run in CI, draws them all.
# The inner loop still tries each property on a hundred inputs; the 200-400 more that each
# of a dozen tests drew took 3-4 s of its 55 s of CPU (docs/performance.md, "The test
# suite, fifth pass").
FAST_EXAMPLES = 100


def leaves_out_slow(config: pytest.Config) -> bool:
    """Whether this run is make test-fast's (-m "not slow") outside CI."""
    return not os.environ.get("CI") and config.getoption("markexpr") == "not slow"


def cap_examples(item: pytest.Item) -> None:
    """A property test's example count cut to FAST_EXAMPLES, its other settings kept."""
    test = getattr(item, "obj", None)
    if test is None or not is_hypothesis_test(test):
        return
    # Where @settings and @seed keep a test's settings; @given reads them at each call.
    own = test._hypothesis_internal_use_settings
    if own.max_examples > FAST_EXAMPLES:
        test._hypothesis_internal_use_settings = settings(own, max_examples=FAST_EXAMPLES)


@pytest.hookimpl(trylast=True)  # after -m has deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules holding a slow test first, then the rest; within each, the modules with
    more tests first, and each module's tests in their own order.

    `make test` runs `--dist loadfile --no-loadscope-reorder`: each worker takes whole
    modules in this order. xdist's own order (more tests first) left a module of a few long
    tests (the kill-and-rerun refreshes, the hostile corpus: a minute each) to the end, with
    the other worker idle; started first, they are spread over both workers and the short
    modules fill in around them (docs/performance.md, "The test suite").
    """
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    order = sorted(modules.values(), key=lambda tests: (
        not any(t.get_closest_marker("slow") for t in tests), -len(tests)))
    items[:] = [item for tests in order for item in tests]
    if leaves_out_slow(config):
        for item in items:
            cap_examples(item)


ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"

# Golden reports are rendered with a fixed word-count scorer, so a retrained model does not
# move them; tone quality is guarded by the evaluation floors instead.
register_scorer("fixed", {"en": FixedScorer("en"), "zh": FixedScorer("zh")})
GOLDEN_CONFIG = '[dates]\ntimezone = "UTC"\n\n[sentiment]\nscorer = "fixed"\n'
# The three seeds that state no date get this modification time, so reports are stable.
FIXED_MTIME = datetime(2026, 5, 1, 12, 0, tzinfo=UTC).timestamp()
PLAIN_CONFIG = '[dates]\ntimezone = "UTC"\n'


def copy_seeds(folder: Path) -> Path:
    """The seeds copied into `folder`/seeds, with FIXED_MTIME as their modification time."""
    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    for path in seeds.iterdir():
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return seeds


@pytest.fixture(scope="session")
def seeded_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """config.toml (the default scorer, UTC), seeds/ and tracker.db holding the seeds, built
    once per test run (per pytest-xdist worker). Never changed: take `seeded` to change it."""
    from click.testing import CliRunner

    from tracker.cli import cli

    folder = tmp_path_factory.mktemp("seeded")
    seeds = copy_seeds(folder)
    (folder / "config.toml").write_text(PLAIN_CONFIG, "utf-8")
    result = CliRunner().invoke(cli, ["ingest", "-q", "--config", str(folder / "config.toml"),
                                      str(seeds)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def seeded(seeded_once: Path, tmp_path: Path) -> Path:
    """A copy of `seeded_once` in tmp_path, for a test that may change the database or the
    config. The stored posts' sources still name seeded_once's seeds/ (posts are stored once
    per text and source), so a test ingesting the seeds again reads those."""
    for name in ("config.toml", "tracker.db"):
        shutil.copy2(seeded_once / name, tmp_path / name)
    shutil.copytree(seeded_once / "seeds", tmp_path / "seeds")
    return tmp_path


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((DATA / "seeds-gold.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def session_cfg(tmp_path_factory: pytest.TempPathFactory) -> Config:
    folder = tmp_path_factory.mktemp("cfg")
    path = folder / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    path = tmp_path / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


@pytest.fixture(scope="session")
def analyzer(session_cfg: Config) -> Analyzer:
    from tracker.ingest.analyze import Analyzer

    return Analyzer(session_cfg)


def skip_outside_ci(reason: str) -> None:
    """Skip a test that needs a program or privilege this machine lacks; in CI (CI set),
    where .ci/run installs what the tests need, fail instead, so nothing silently skips."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards.

    Needs TRACKER_TEST_POSTGRES_URL (a server where the user may CREATE DATABASE). Without it
    the test is skipped, except in CI (CI set), where that is a failure: .ci/run starts a
    server, so a missing URL there means the PostgreSQL tests would silently not run.
    """
    base = os.environ.get("TRACKER_TEST_POSTGRES_URL")
    if not base:
        skip_outside_ci("PostgreSQL tests need TRACKER_TEST_POSTGRES_URL="
                        "postgresql+psycopg://user@host:port/db (a server allowing CREATE "
                        "DATABASE); .ci/run starts a server and sets it")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return str(request.getfixturevalue("pg_url"))


_HANDLED = (signal.SIGINT, signal.SIGTERM)


@pytest.fixture(autouse=True)
def _signal_handlers_kept() -> Iterator[None]:
    """Fail a test that leaves SIGINT or SIGTERM handled otherwise than it found them (one
    left SIGINT to a handler that raises nothing, and a later Ctrl-C test in the same
    process waited for ever); put them back, so that the next test is not blamed too."""
    before = {sig: signal.getsignal(sig) for sig in _HANDLED}
    yield
    changed = [sig for sig in _HANDLED if signal.getsignal(sig) is not before[sig]]
    for sig in changed:
        signal.signal(sig, before[sig])
    if changed:
        names = " and ".join(sig.name for sig in changed)
        pytest.fail(f"the test left {names} handled otherwise: restore it")
