"""Ingest throughput, per-stage cost, parallel speed-up, peak memory and report time.

Run from the repository root (see benchmarks/README.md):

    python benchmarks/bench_ingest.py --posts 10000

Every figure in one run is measured side by side, because this machine's speed drifts.
Nothing here is a test: pytest does not collect this folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from corpus import write_corpus  # noqa: E402

from tracker.config import Config, load_config  # noqa: E402
from tracker.extract.cashtags import find_cashtags  # noqa: E402
from tracker.extract.chrome import strip_chrome  # noqa: E402
from tracker.extract.dates import find_date, parse_date_field  # noqa: E402
from tracker.extract.groups import find_sections  # noqa: E402
from tracker.extract.html import TagSpan, html_to_text, looks_like_html  # noqa: E402
from tracker.extract.models import Post, RawPost  # noqa: E402
from tracker.extract.name_rules import STOP_TICKERS  # noqa: E402
from tracker.extract.spans import opaque_spans  # noqa: E402
from tracker.extract.text.sentences import detect_lang, split_sentences  # noqa: E402
from tracker.ingest.analyze import Analyzer, normalize_text  # noqa: E402
from tracker.ingest.pipeline import ingest  # noqa: E402
from tracker.sentiment import Scorer, get_scorer, mention_clause  # noqa: E402
from tracker.sources import find_files, read_file  # noqa: E402
from tracker.store.database import Store  # noqa: E402


def _timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def _config(folder: Path) -> Config:
    path = folder / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


def corpus_dir(root: Path, posts: int, seed: int) -> tuple[Path, int]:
    """The corpus for (posts, seed), generated once and kept under `root`."""
    folder = root / f"corpus-{posts}-{seed}"
    stamp = folder / ".bytes"
    if not stamp.exists():
        size = write_corpus(folder, posts, seed=seed)
        stamp.write_text(str(size))
    return folder, int(stamp.read_text())


# --- stages, each run alone over the output of the one before --------------------------------

def stage_read(folder: Path, cfg: Config) -> list[RawPost]:
    raws: list[RawPost] = []
    for path in find_files([folder]):
        assert isinstance(path, Path)
        raws.extend(r for r in read_file(path, cfg.input) if isinstance(r, RawPost))
    return raws


def stage_clean(raws: list[RawPost], cfg: Config) -> list[tuple[str, list[TagSpan]]]:
    out = []
    for raw in raws:
        text = normalize_text(raw.text)
        tags: list[TagSpan] = []
        if raw.is_html or looks_like_html(text):
            text, tags, _ = html_to_text(text, collapse_whitespace=raw.is_html)
        kept = strip_chrome(text, cfg.clean)
        mapped = []
        for tag in tags:
            span = kept.map_span(tag.start, tag.end)
            if span is not None:
                mapped.append(TagSpan(span[0], span[1], tag.counter_id, tag.name))
        out.append((kept.text, mapped))
    return out


def stage_extract(raws: list[RawPost], cleaned: list[tuple[str, list[TagSpan]]],
                  cfg: Config, analyzer: Analyzer) -> list[list[tuple[str, str]]]:
    """Dates, cashtags, names, sentences, languages, groups, mention clauses; returns the
    (lang, text) pairs to score: each sentence, and each mention clause that is not its
    whole sentence (once per post)."""
    out = []
    for raw, (body, tags) in zip(raws, cleaned, strict=True):
        if raw.published_field:
            parse_date_field(raw.published_field, cfg.timezone)
        else:
            find_date(body, cfg.timezone, cfg.date_search_chars)
        # As Analyzer._read finds them: listed codes only, nothing in handles or links.
        opaque = opaque_spans(body)
        hits = [(h.start, h.end) for h in
                find_cashtags(body, tags, numeric_market=cfg.numeric_market,
                              numeric_needs_hint=cfg.numeric_needs_hint,
                              listed=analyzer.is_listed, stop=STOP_TICKERS)]
        hits = sorted(hits + [(n.start, n.end) for n in analyzer.matcher.find(
            body, skip=hits + opaque, cashtags=bool(hits))])
        sentences = split_sentences(body, protect=hits)
        find_sections(body, cfg.group_keywords)
        texts = [(detect_lang(body[s:e]), body[s:e]) for s, e in sentences]
        starts = [s for s, _ in sentences]
        clauses = set()
        for start, end in hits:
            idx = bisect_right(starts, start) - 1
            s, e = sentences[idx]
            clause = mention_clause(body[s:e], start - s, end - s)
            if clause != body[s:e]:
                clauses.add((texts[idx][0], clause))
        out.append(texts + sorted(clauses))
    return out


def plain_scorers() -> dict[str, Scorer]:
    """The plain library scorers ([sentiment] scorer = "vader" / "snownlp"), loaded now."""
    from tracker.sentiment.chinese import SnowNLPScorer
    from tracker.sentiment.english import VaderScorer

    scorers: dict[str, Scorer] = {"en": VaderScorer(), "zh": SnowNLPScorer()}
    for scorer in scorers.values():
        scorer.score_many(["warm up 预热"])
    return scorers


def model_scorers(folder: Path) -> dict[str, Scorer]:
    """The default scorers over the model files in `folder`, loaded and warmed up now."""
    from tracker.sentiment.default import ChineseModelScorer, EnglishModelScorer
    from tracker.sentiment.lexicon import load_lexicon

    scorers: dict[str, Scorer] = {
        "en": EnglishModelScorer(load_lexicon("en"), folder / "en_model.npz"),
        "zh": ChineseModelScorer(load_lexicon("zh"), folder / "zh_model.npz"),
    }
    for scorer in scorers.values():
        scorer.score_many(["warm up 预热"])
    return scorers


def stage_score(sentences: list[list[tuple[str, str]]], cfg: Config,
                scorers: dict[str, Scorer] | None = None) -> int:
    """Each text scored once, batched per language: what the libraries cost. `scorers`
    replaces the configured (default) scorers, to price the plain libraries."""
    by_lang: dict[str, list[str]] = {}
    for post in sentences:
        for lang, text in post:
            by_lang.setdefault(lang, []).append(text)
    scored = 0
    for lang, texts in by_lang.items():
        scorer = scorers.get(lang) if scorers else get_scorer(lang, cfg.sentiment)
        if scorer is not None:
            scored += len(scorer.score_many(texts))
    return scored


def compare_models(sentences: list[list[tuple[str, str]]], cfg: Config, old_folder: Path,
                   rounds: int) -> dict[str, Any]:
    """The score stage with the shipped models and with those in `old_folder`, side by side:
    `rounds` rounds, each scoring the same texts with both, the order alternating so that
    neither always runs on a warmer or quieter machine. Wall and CPU seconds per run; the
    CPU time of this single-threaded stage moves less with other jobs on the machine."""
    from importlib import resources

    shipped = Path(str(resources.files("tracker.data").joinpath("sentiment")))
    scorers = {"shipped": model_scorers(shipped), "old": model_scorers(old_folder)}
    runs: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": []} for k in scorers}
    for r in range(rounds):
        order = ("shipped", "old") if r % 2 == 0 else ("old", "shipped")
        for name in order:
            wall, cpu = time.perf_counter(), time.process_time()
            stage_score(sentences, cfg, scorers[name])
            runs[name]["wall"].append(round(time.perf_counter() - wall, 3))
            runs[name]["cpu"].append(round(time.process_time() - cpu, 3))
    for name, r in runs.items():
        print(f"score stage, {name} models: wall {r['wall']} s, CPU {r['cpu']} s "
              f"(median CPU {sorted(r['cpu'])[len(r['cpu']) // 2]:.2f} s)", flush=True)
    return {"score_models_side_by_side": runs}


def stage_store(posts: list[Post], url: str) -> None:
    store = Store(url)
    try:
        for i in range(0, len(posts), 500):
            store.add_posts(posts[i:i + 500])
    finally:
        store.close()


def baseline(raws: list[RawPost], limit: int) -> tuple[int, float]:
    """The plain design: VADER and SnowNLP(text).sentiments on each whole post."""
    from snownlp import SnowNLP
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    sample = raws[:limit]
    start = time.perf_counter()
    for raw in sample:
        lang = detect_lang(raw.text)
        if lang == "zh":
            SnowNLP(raw.text).sentiments  # noqa: B018
        else:
            vader.polarity_scores(raw.text)
    return len(sample), time.perf_counter() - start


CPU_SECONDS: dict[int, float] = {}


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure_ingest(folder: Path, cfg: Config, url: str, workers: int) -> tuple[float, Any]:
    """Wall seconds of one ingest; its CPU seconds (all processes) go to CPU_SECONDS."""
    store = Store(url)
    cpu = _cpu()
    try:
        return _timed(ingest, [folder], cfg, store, workers=workers)
    finally:
        CPU_SECONDS[workers] = _cpu() - cpu
        store.close()


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_memory(folder: Path, workers: int) -> dict[str, Any]:
    """Ingest `folder` in a fresh process; peak RSS in MB of it and of all its processes.

    Linux only. The main process's peak is its VmHWM (ru_maxrss would carry over this
    process's size from before exec); workers' RSS is sampled every 50 ms and summed.
    """
    code = (
        "import sys, tempfile, time, json\n"
        "from pathlib import Path\n"
        f"sys.path[:0] = [{str(HERE.parent)!r}]\n"
        "from tracker.config import load_config\n"
        "from tracker.ingest.pipeline import ingest\n"
        "from tracker.store.database import Store\n"
        "tmp = Path(tempfile.mkdtemp())\n"
        "(tmp / 'config.toml').write_text('[dates]\\ntimezone = \"UTC\"\\n')\n"
        "cfg = load_config(tmp / 'config.toml')\n"
        "store = Store('sqlite:///' + str(tmp / 'm.db'))\n"
        "t = time.perf_counter()\n"
        f"r = ingest([{str(folder)!r}], cfg, store, workers={workers})\n"
        "t = time.perf_counter() - t\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'posts': r.posts_seen, 'seconds': t, 'main_mb': int(hwm) / 1024}))\n"
        "store.close()\n"
        "import shutil; shutil.rmtree(tmp)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    peak_total = 0
    while proc.poll() is None:
        total = _status_kb(proc.pid, "VmRSS") + sum(
            _status_kb(kid, "VmRSS") for kid in _children(proc.pid))
        peak_total = max(peak_total, total)
        time.sleep(0.05)
    assert proc.stdout is not None and proc.returncode == 0
    out = json.loads(proc.stdout.read().strip().splitlines()[-1])
    out["all_processes_mb"] = peak_total / 1024
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10000, help="corpus size for speed")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-posts", type=int, default=300,
                        help="posts the (slow) plain baseline scores")
    parser.add_argument("--memory-posts", type=int, nargs="*", default=[],
                        help="corpus sizes to ingest in fresh processes for peak memory")
    parser.add_argument("--report-mentions", type=int, default=0,
                        help="build a database of this many mentions and time `report`")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--skip-workers", action="store_true", help="only 1 worker")
    parser.add_argument("--memory-workers", type=int, nargs="*", default=None,
                        help="worker counts for --memory-posts (default: 1 and 2)")
    parser.add_argument("--old-models", type=Path,
                        help="a folder with other en_model.npz / zh_model.npz (say, the "
                             "previous release's): the score stage is timed with them too")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the --old-models comparison, alternating which goes "
                             "first")
    parser.add_argument("--skip-speed", action="store_true",
                        help="only --memory-posts and --report-mentions")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    cfg = _config(work)
    folder, size = corpus_dir(args.cache, args.posts, args.seed)
    n = args.posts
    mb = size / 1e6
    results: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, {platform.system()} "
                   f"{platform.release()}, Python {platform.python_version()}",
        "posts": n, "corpus_mb": round(mb, 1),
    }
    print(f"corpus: {n} posts, {mb:.1f} MB in {folder}", flush=True)

    memory_workers = args.memory_workers or ([1] if args.skip_workers else [1, 2])
    if not args.skip_speed:
        # Warm up once so no figure pays for loading jieba's dictionary or the lexicons.
        warm = Analyzer(cfg)
        t_load, raws = _timed(stage_read, folder, cfg)
        for raw in raws[:50]:
            warm.analyze(raw)

        rows: list[tuple[str, float]] = []
        t_read, raws = _timed(stage_read, folder, cfg)
        t_clean, cleaned = _timed(stage_clean, raws, cfg)
        t_extract, sentences = _timed(stage_extract, raws, cleaned, cfg, warm)
        t_score, _ = _timed(stage_score, sentences, cfg)
        t_plain, _ = _timed(stage_score, sentences, cfg, plain_scorers())
        if args.old_models:
            results.update(compare_models(sentences, cfg, args.old_models, args.rounds))
        posts = [p for p in (warm.analyze(r) for r in raws) if p is not None]
        mentions = sum(len(p.mentions) for p in posts)
        t_store, _ = _timed(stage_store, posts, f"sqlite:///{work / 'stages.db'}")
        del posts, cleaned, sentences
        print(f"score with the default scorers {t_score:.2f} s; with plain VADER / jieba + "
              f"snownlp's classifier {t_plain:.2f} s ({t_score / t_plain:.1f}x)", flush=True)
        results["score_plain_libraries"] = round(t_plain, 3)
        stages = t_read + t_clean + t_extract + t_score + t_store
        rows += [("read", t_read), ("clean", t_clean), ("extract", t_extract),
                 ("score", t_score), ("store", t_store), ("stages alone, sum", stages)]

        t_e2e, result = measure_ingest(folder, cfg, f"sqlite:///{work / 'e2e1.db'}", 1)
        assert result.posts_seen == n and not result.failures, result.failures[:3]
        rows.append(("end to end, 1 worker", t_e2e))
        if not args.skip_workers:
            t_e2e2, result2 = measure_ingest(folder, cfg, f"sqlite:///{work / 'e2e2.db'}", 2)
            assert result2.posts_added == result.posts_added
            rows.append(("end to end, 2 workers", t_e2e2))

        base_n, t_base = baseline(raws, args.baseline_posts)
        del raws

        print(f"\n{'measure':<24}{'seconds':>9}{'posts/s':>10}{'MB/s':>8}")
        for name, secs in rows:
            print(f"{name:<24}{secs:>9.2f}{n / secs:>10.0f}{mb / secs:>8.2f}")
        print(f"{'plain baseline':<24}{t_base:>9.2f}{base_n / t_base:>10.1f}"
              f"   ({base_n} posts)")
        e2e_rate = n / t_e2e
        print(f"\nmentions: {mentions} ({mentions / n:.1f} per post)")
        print(f"end to end / stages alone: {stages / t_e2e:.0%} (target >= 70%)")
        print(f"end to end / baseline: {e2e_rate / (base_n / t_base):.1f}x "
              "(target >= 15x, issue 23; issue 7 asked 20x)")
        if not args.skip_workers:
            print(f"2 workers / 1 worker: {t_e2e / t_e2e2:.2f}x (target >= 1.6x); CPU seconds, "
                  f"all processes: 1 worker {CPU_SECONDS[1]:.1f}, 2 workers {CPU_SECONDS[2]:.1f}")
            results["cpu_seconds"] = CPU_SECONDS
        load = os.getloadavg()
        print(f"load average at the end (other jobs share this machine): {load[0]:.2f}")
        results["load_average"] = load
        results.update({name: round(secs, 3) for name, secs in rows})
        results.update({"baseline_posts_per_s": round(base_n / t_base, 1), "mentions": mentions})

    for count in args.memory_posts:
        mem_folder, _ = corpus_dir(args.cache, count, args.seed)
        for workers in memory_workers:
            mem = peak_memory(mem_folder, workers)
            print(f"peak memory, {count} posts, {workers} worker(s): main process "
                  f"{mem['main_mb']:.0f} MB, all processes {mem['all_processes_mb']:.0f} MB "
                  f"({mem['posts'] / mem['seconds']:.0f} posts/s)", flush=True)
            results[f"memory_{count}_{workers}w"] = mem

    if args.report_mentions:
        from bench_report import bench_report

        results["report"] = bench_report(work, args.report_mentions, cfg)
    (work / "results.json").write_text(json.dumps(results, indent=1))
    print(f"\nresults: {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
