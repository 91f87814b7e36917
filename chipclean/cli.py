"""The command line: options and messages only, no cleaning logic.

Data goes to stdout, messages to stderr. Exit codes are in
:mod:`chipclean.exitcodes`. A user never sees a traceback unless
``CHIPCLEAN_DEBUG=1`` is set.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any

import click
from click.core import ParameterSource

from . import __version__, exitcodes
from .config import CHOICES, STAGES, Config, ConfigError, find_project_config, select_stages
from .rulepack import PackError, RuleSet, expand_pack_paths, load_pack

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _split(values: tuple[str, ...] | str | None) -> tuple[str, ...]:
    if not values:
        return ()
    if isinstance(values, str):
        values = (values,)
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def guarded(fn):
    """Turn every expected failure into a message and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ConfigError, PackError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exitcodes.USAGE)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; outputs written so far are complete, nothing is half-written", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(exitcodes.ERROR)
        except Exception as exc:  # noqa: BLE001 - last line of defence
            if os.environ.get("CHIPCLEAN_DEBUG"):
                raise
            click.echo(
                f"error: internal error: {type(exc).__name__}: {exc}\n"
                "Please report this with the input that caused it (set CHIPCLEAN_DEBUG=1 for details).",
                err=True,
            )
            sys.exit(exitcodes.ERROR)

    return wrapper


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="chipclean")
def main() -> None:
    """Clean messy multilingual news text into corpus files.

    \b
    Examples:
      chipclean clean samples/ -o clean/
      chipclean clean - < article.txt > article.clean.txt
      chipclean clean --check --diff docs/
      chipclean detect --segments article.txt
      chipclean rules test
    """


# -- config assembly ---------------------------------------------------------

# CLI parameter name -> Config field, for options that map one to one
_DIRECT = {
    "text_field": "text_field",
    "meta_field": "meta_field",
    "unrecoverable": "unrecoverable",
    "zh_script": "zh_script",
    "entities": "entities",
    "disclaimers": "disclaimers",
    "cjk_spacing": "cjk_spacing",
    "citations": "citations",
    "translationese": "translationese",
    "lang_backend": "lang_backend",
    "segments": "segments",
    "regex_timeout": "regex_timeout",
}


def build_config(ctx: click.Context, paths: tuple[str, ...], params: dict[str, Any]) -> Config:
    cfg_path, values = find_project_config(paths)
    values = dict(values)
    only = values.pop("only", ())
    skip = values.pop("skip", ())
    if cfg_path is not None:
        # pack paths in a settings file are relative to that file
        values["rules"] = tuple(str(cfg_path.parent / p) for p in _split(values.get("rules")))
        try:
            Config.from_mapping(values)
        except (ConfigError, TypeError) as exc:
            raise ConfigError(f"{cfg_path}: [chipclean] settings: {exc}") from None

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE

    for param, fld in _DIRECT.items():
        if param in params and (given(param) or fld not in values):
            values[fld] = params[param]
    if given("only") or given("skip"):
        only, skip = params.get("only"), params.get("skip")
    values["stages"] = select_stages(_split(only), _split(skip))
    values["rules"] = tuple(_split(values.get("rules"))) + tuple(params.get("rules") or ())
    if params.get("no_default_rules"):
        values["default_rules"] = False
    values["disable"] = _split(values.get("disable")) + _split(params.get("disable"))
    for key in ("keep_lang", "drop_lang"):
        if given(key) or key not in values:
            values[key] = _split(params.get(key))
        else:
            values[key] = _split(values[key])
    return Config.from_mapping(values)


def rule_options(fn):
    for dec in reversed(
        [
            click.option("--rules", "rules", multiple=True, type=click.Path(exists=True),
                         help="Extra rule-pack file or folder (repeatable)."),
            click.option("--no-default-rules", is_flag=True, help="Don't load the packs shipped with chipclean."),
            click.option("--disable", multiple=True, metavar="RULE_ID",
                         help="Turn off a rule or a whole pack by id (repeatable, or comma-separated)."),
        ]
    ):
        fn = dec(fn)
    return fn


# -- clean -------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(), help="Output file, or folder (mirrors input folders).")
@click.option("--in-place", is_flag=True, help="Rewrite the input files (atomically).")
@click.option("--exit-non-zero-on-fix", "fail_on_change", is_flag=True,
              help="Exit 1 when files were rewritten (for pre-commit hooks).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--diff", is_flag=True, help="Write a unified diff to stdout instead of the files.")
@click.option("--explain", is_flag=True, help="Print every edit (stage, rule, before -> after) to stderr.")
@click.option("--audit", type=click.Path(dir_okay=False), help="Write one JSON line per edit to this file.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write counts and timing as JSON to this file.")
@click.option("--rejects", type=click.Path(dir_okay=False), help="Write dropped documents, with the reason, as JSONL.")
@click.option("--only", metavar="STAGES", help=f"Run only these stages (comma-separated: {','.join(STAGES)}).")
@click.option("--skip", metavar="STAGES", help="Skip these stages (comma-separated).")
@rule_options
@click.option("--text-field", default="text", show_default=True, help="JSONL field holding the text.")
@click.option("--meta-field", default="chipclean", show_default=True, help="JSONL field chipclean writes its metadata to.")
@click.option("--unrecoverable", type=click.Choice(CHOICES["unrecoverable"]), default="drop", show_default=True,
              help="What to do with mojibake fragments that can't be repaired.")
@click.option("--zh-script", type=click.Choice(CHOICES["zh_script"]), default="keep", show_default=True,
              help="Convert Chinese text to this script (entity names protected).")
@click.option("--entities", type=click.Choice(CHOICES["entities"]), default="canonical", show_default=True,
              help="Entity mentions: rewrite to canonical names, annotate, only tag, or leave alone.")
@click.option("--disclaimers", type=click.Choice(CHOICES["disclaimers"]), default="strip", show_default=True,
              help="Disclaimers: strip (moved to metadata), keep, or tag only.")
@click.option("--cjk-spacing", is_flag=True, help="Add a space between CJK and Latin letters or digits.")
@click.option("--citations", is_flag=True, help="Also strip [1]-style citation markers.")
@click.option("--translationese", is_flag=True,
              help="Normalize literal renderings in English translated from Chinese (computing power -> compute).")
@click.option("--lang-backend", type=click.Choice(CHOICES["lang_backend"]), default="langdetect", show_default=True,
              help="Language-ID backend for text the script cascade can't decide.")
@click.option("--segments", is_flag=True, help="Tag the language of every paragraph in the metadata.")
@click.option("--keep-lang", metavar="LANGS", help="Keep only documents in these languages (others go to --rejects).")
@click.option("--drop-lang", metavar="LANGS", help="Drop documents in these languages (to --rejects).")
@click.option("--regex-timeout", type=float, default=1.0, show_default=True,
              help="Seconds a rule's regex may run on one document before it is skipped.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core). The output is the same for any number.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Run on this machine, or on a Ray cluster (needs chipclean[ray]).")
@click.option("--address", metavar="ADDRESS", help="The Ray cluster to join (e.g. ray://head:10001; default: start one here).")
@click.option("-q", "--quiet", is_flag=True, help="No messages except errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say what happens to each file.")
@click.pass_context
@guarded
def clean(ctx: click.Context, paths: tuple[str, ...], **params: Any) -> None:
    """Clean files, folders (recursively) or - (stdin to stdout)."""
    from .runner import RunOptions, UsageError, run

    if not paths:
        click.echo("error: no input given; name files, folders, or - for standard input", err=True)
        sys.exit(exitcodes.USAGE)
    config = build_config(ctx, paths, params)
    options = RunOptions(
        output=params["output"],
        in_place=params["in_place"],
        fail_on_change=params["fail_on_change"],
        check=params["check"],
        diff=params["diff"],
        explain=params["explain"],
        audit=params["audit"],
        report=params["report"],
        rejects=params["rejects"],
        quiet=params["quiet"],
        verbose=params["verbose"],
        jobs=params["jobs"],
        engine=params["engine"],
        address=params["address"],
    )
    try:
        # load and compile the packs before touching any input; the run
        # goes on with the same Cleaner, so they are read only once
        from .pipeline import Cleaner

        cleaner = Cleaner(config)
        cleaner.rules
        outcome = run(list(paths), config, options, cleaner=cleaner)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exitcodes.USAGE)
    sys.exit(outcome.exit_code)


# -- detect ------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--segments", is_flag=True, help="Also show the language of each paragraph.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.option("--text-field", default="text", show_default=True, help="JSONL field holding the text.")
@click.option("--lang-backend", type=click.Choice(CHOICES["lang_backend"]), default="langdetect", show_default=True)
@guarded
def detect(paths: tuple[str, ...], segments: bool, as_json: bool, text_field: str, lang_backend: str) -> None:
    """Print the language of each document (and paragraph with --segments)."""
    from .detect import detect_paths

    sys.exit(detect_paths(list(paths), segments=segments, as_json=as_json, text_field=text_field,
                          backend=lang_backend))


# -- review ------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("audit", type=click.Path(exists=True, dir_okay=False))
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="Write a static HTML page here.")
@click.option("--samples", type=click.IntRange(min=0), default=8, show_default=True,
              help="Removed lines to show per rule.")
@guarded
def review(audit: str, html_out: str | None, samples: int) -> None:
    """Summarise the removals in an audit file (from clean --audit).

    \b
    Prints removals per rule; with --html, writes a page with counts per rule
    and per source and sampled removed lines shown between their neighbours.
      chipclean clean corpus/ -o clean/ --audit audit.jsonl
      chipclean review audit.jsonl --html review.html
    """
    from .io.atomic import atomic_writer
    from .review import read_audit, render_html, text_summary

    result = read_audit(audit, samples)
    for msg in result.errors[:20]:
        click.echo(f"error: {msg}", err=True)
    if len(result.errors) > 20:
        click.echo(f"error: … and {len(result.errors) - 20} more unreadable lines", err=True)
    if html_out:
        with atomic_writer(html_out) as fh:
            fh.write(render_html(result))
        click.echo(f"wrote {html_out}: {result.removals} removals by {len(result.rules)} rules", err=True)
    else:
        click.echo(text_summary(result), nl=False)
    sys.exit(exitcodes.ERROR if result.errors else exitcodes.SUCCESS)


# -- rules -------------------------------------------------------------------


@main.group(context_settings=CONTEXT)
def rules() -> None:
    """List, lint and test rule packs."""


@rules.command("list", context_settings=CONTEXT)
@rule_options
@guarded
def rules_list(rules: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...]) -> None:
    """One line per rule: id, kind, pack and description."""
    rs = RuleSet.load(rules, default=not no_default_rules, disabled=_split(disable))
    width = max((len(r.id) for r in rs.all_rules()), default=10)
    for rule in rs.all_rules():
        off = "  (disabled)" if rule.id in rs.disabled or rule.pack in rs.disabled else ""
        click.echo(f"{rule.id:<{width}}  {rule.kind:<12}  {rule.pack:<24}  {rule.description}{off}")


@rules.command("lint", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@guarded
def rules_lint(paths: tuple[str, ...]) -> None:
    """Validate rule packs, reporting every problem as file:line."""
    problems = []
    files = expand_pack_paths(paths)
    for f in files:
        try:
            load_pack(f)
        except PackError as exc:
            problems.extend(exc.problems)
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(files)} file(s).", err=True)
        sys.exit(exitcodes.USAGE)
    click.echo(f"{len(files)} pack(s) OK.", err=True)


@rules.command("test", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-q", "--quiet", is_flag=True)
@guarded
def rules_test(paths: tuple[str, ...], quiet: bool) -> None:
    """Run every rule's own examples (the shipped packs, or the PATHS given)."""
    from .ruletest import run_all

    rs = RuleSet.load(paths, default=not paths)
    results = run_all(rs)
    failed = [r for r in results if not r.ok]
    for r in failed:
        click.echo(r.describe(), err=True)
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed", err=True)
    sys.exit(exitcodes.FAIL if failed else exitcodes.SUCCESS)
