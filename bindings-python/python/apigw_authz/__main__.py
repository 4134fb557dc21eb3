"""``python -m apigw_authz``: the ``apigw-authz`` command line, for machines that only have Python.

Same commands, output and exit codes as the Rust command line (``cli/``), so a CI pipeline can run policy suites
with ``pip install apigw-authz`` alone::

    python -m apigw_authz authorize scenario.json      # the decision JSON, on one line
    python -m apigw_authz explain scenario.json        # the same, explained for a person
    python -m apigw_authz explain suite.json --case NAME
    python -m apigw_authz test examples/scenarios/     # run policy test suites; exit 1 on a failing case
    python -m apigw_authz test --json suites/          # one JSON line per file: {"file", "report"}
    python -m apigw_authz validate policy.json --kind resource   # diagnostics with line:column

Exit codes: 0 success, 1 a failing case (``test``) or an error diagnostic (``validate``), 2 bad input or
usage.

Every decision, report, explanation and diagnostic is the core's (the same JSON and text the Rust command line
prints); this module only reads files and lays the answers out the way ``cli/src/main.rs`` does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, BinaryIO, Callable, List, NoReturn, Optional, Sequence, TextIO

from apigw_authz import _native
from apigw_authz._errors import Error, InvalidArgument, InvalidJson
from apigw_authz._types import Diagnostic

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

#: The name a file argument of ``-`` stands for.
STDIN = "-"

PROG = "apigw-authz"


class _Console:
    """Standard output and error. A reader that stops early (``... | head``) closes the pipe: writing stops
    there but the work goes on, so the exit code still says what happened to the policies."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._out: Optional[TextIO] = out
        self._err: Optional[TextIO] = err

    def out(self, text: str) -> None:
        if self._out is not None:
            try:
                self._out.write(text)
            except BrokenPipeError:
                self._out = None

    def err(self, text: str) -> None:
        # Flush what standard output holds first, so that on a shared terminal the error shows where it happened.
        if self._out is not None:
            try:
                self._out.flush()
            except BrokenPipeError:
                self._out = None
        if self._err is not None:
            try:
                self._err.write(text)
                self._err.flush()
            except BrokenPipeError:
                self._err = None

    def finish(self) -> None:
        if self._out is not None:
            try:
                self._out.flush()
            except BrokenPipeError:
                self._out = None


def _compact(value: Any) -> str:
    # serde_json's compact form: no spaces, non-ASCII kept as is.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _display_name(file: str) -> str:
    return "<stdin>" if file == STDIN else file


def _io_reason(error: OSError) -> str:
    """An OS error as a message part, as Rust prints it: lowercase start, no error number."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def _read_input(file: str, stdin: BinaryIO) -> str:
    """The text of a file, or of standard input for ``-``. A file that cannot be read is an ``invalid-argument``
    error; one that is not UTF-8 (RFC 8259) an ``invalid-json`` error at the first bad byte."""
    try:
        if file == STDIN:
            data = stdin.read()
        else:
            with open(file, "rb") as f:
                data = f.read()
    except OSError as e:
        what = "standard input" if file == STDIN else f"`{file}`"
        raise InvalidArgument(f"cannot read {what}: {_io_reason(e)}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        # The prefix up to the first bad byte is valid UTF-8; count its lines and characters.
        valid = data[: e.start].decode("utf-8")
        raise InvalidJson(
            "the input is not UTF-8 text",
            line=valid.count("\n") + 1,
            column=len(valid.rsplit("\n", 1)[-1]) + 1,
            help="JSON text must be encoded as UTF-8; convert the file, e.g. with `iconv -t UTF-8`",
        ) from None


def _cmd_authorize(args: argparse.Namespace, console: _Console, stdin: BinaryIO) -> int:
    try:
        decision = _native._decide_for_cli(_read_input(args.file, stdin), text=False)
    except Error as e:
        # A program reads this output: the error is JSON too, on the same stream.
        console.out(_compact(e.to_dict()) + "\n")
        return EXIT_BAD_INPUT
    console.out(decision + "\n")
    return EXIT_OK


def _explain_case(text: str, name: str) -> str:
    """The explanation of one case of a suite. The whole suite runs, since earlier cases can fill the Lambda
    authorizer cache that this one reads."""
    return _native._suite_for_cli(text, "", case=name)[1]


def _cmd_explain(args: argparse.Namespace, console: _Console, stdin: BinaryIO) -> int:
    try:
        text = _read_input(args.file, stdin)
    except Error as e:
        console.err(f"{PROG}: {e}\n")
        return EXIT_BAD_INPUT
    try:
        if args.case is None:
            explanation = _native._decide_for_cli(text, text=True)
        else:
            explanation = _explain_case(text, args.case)
    except Error as e:
        console.err(f"{_display_name(args.file)}: {e}\n")
        return EXIT_BAD_INPUT
    console.out(explanation if explanation.endswith("\n") else explanation + "\n")
    return EXIT_OK


def _walk(directory: str, found: List[str]) -> None:
    """Every ``*.json`` file below ``directory``. Symbolic links to directories are not followed, so a link cycle
    cannot make the walk endless."""
    try:
        entries = list(os.scandir(directory))
    except OSError as e:
        raise InvalidArgument(f"cannot read the directory `{directory}`: {_io_reason(e)}") from None
    for entry in entries:
        path = os.path.join(directory, entry.name)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as e:
            raise InvalidArgument(f"cannot read the directory `{directory}`: {_io_reason(e)}") from None
        if is_dir:
            _walk(path, found)
        elif entry.name.endswith(".json") and len(entry.name) > len(".json") and os.path.isfile(path):
            found.append(path)


def _path_key(path: str) -> List[str]:
    # Rust sorts paths component by component.
    return [part for part in path.split(os.sep) if part not in ("", ".")]


def _suite_files(paths: Sequence[str]) -> List[str]:
    """The suite files named on the command line: a directory stands for every ``*.json`` file below it, sorted
    by path."""
    files: List[str] = []
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            found: List[str] = []
            _walk(path, found)
            files.extend(sorted(found, key=_path_key))
        else:
            files.append(path)
    return files


def _cmd_test(args: argparse.Namespace, console: _Console, stdin: BinaryIO) -> int:
    try:
        files = _suite_files(args.paths)
    except Error as e:
        console.err(f"{PROG}: {e}\n")
        return EXIT_BAD_INPUT
    if not files:
        listed = ", ".join(f"`{p}`" for p in args.paths)
        console.err(f"{PROG}: no suite files (`*.json`) in {listed}\n")
        return EXIT_BAD_INPUT
    passed = failed = 0
    bad_input = False
    for file in files:
        name = _display_name(file)
        try:
            report_json, rendered = _native._suite_for_cli(_read_input(file, stdin), name, verbose=args.verbose)
        except Error as e:
            bad_input = True
            if args.json:
                console.out(f'{{"file":{_compact(name)},"error":{_compact(e.to_dict())}}}\n')
            else:
                console.err(f"{name}: {e}\n")
            continue
        report = json.loads(report_json)
        passed += report["passed"]
        failed += report["failed"]
        if args.json:
            console.out(f'{{"file":{_compact(name)},"report":{report_json}}}\n')
        else:
            console.out(rendered)
    if not args.json:
        console.out(f"{passed} passed, {failed} failed\n")
    if bad_input:
        return EXIT_BAD_INPUT
    return EXIT_FAILED if failed else EXIT_OK


def _cmd_validate(args: argparse.Namespace, console: _Console, stdin: BinaryIO) -> int:
    try:
        text = _read_input(args.file, stdin)
    except InvalidJson as e:
        # Not UTF-8: reported like any other error in the document.
        diagnostics = [
            Diagnostic(
                severity="error",
                code=e.code,
                message=e.message,
                path=e.path,
                line=e.line,
                column=e.column,
                endLine=e.line,
                endColumn=e.column,
            )
        ]
        if e.help is not None:
            diagnostics[0]["help"] = e.help
    except Error as e:
        console.err(f"{PROG}: {e}\n")
        return EXIT_BAD_INPUT
    else:
        diagnostics = _native.validate_policy(text, args.kind)
    name = _display_name(args.file)
    if args.json:
        console.out(_compact(diagnostics) + "\n")
    else:
        out = []
        for d in diagnostics:
            if d["line"] is not None and d["column"] is not None:
                out.append(f"{name}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}\n")
            elif d["path"]:
                # No position (the input was not text): the JSON path says where instead.
                out.append(f"{name}: {d['severity']}: {d['message']} (at `{d['path']}`)\n")
            else:
                out.append(f"{name}: {d['severity']}: {d['message']}\n")
            if "help" in d:
                out.append(f"  help: {d['help']}\n")
        if not diagnostics:
            out.append(f"{name}: ok\n")
        console.out("".join(out))
    return EXIT_FAILED if any(d["severity"] == "error" for d in diagnostics) else EXIT_OK


class _UsageError(Exception):
    """A usage error: reported on standard error, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _kind_error(kind: str) -> Optional[str]:
    """Why ``kind`` is not a policy kind (the engine's message), or ``None`` when it is one."""
    try:
        _native.validate_policy(b"", kind)
    except InvalidArgument as e:
        return e.message
    return None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Decide, exactly as Amazon API Gateway would, whether a REST API request is allowed, and "
        "explain why",
        epilog="Exit codes: 0 success, 1 a failing test case or an error in a policy, 2 bad input or usage.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"{PROG} {_native.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = commands.add_parser("authorize", help="print the decision of one scenario as JSON, on one line")
    p.add_argument("file", nargs="?", default=STDIN, metavar="FILE", help="scenario JSON file; - (the default) reads standard input")
    p.set_defaults(run=_cmd_authorize)
    p = commands.add_parser("explain", help="explain the decision of one scenario for a person")
    p.add_argument("file", nargs="?", default=STDIN, metavar="FILE", help="scenario JSON file; - (the default) reads standard input")
    p.add_argument("--case", metavar="NAME", help="the file is a suite: explain its case of this name")
    p.set_defaults(run=_cmd_explain)
    p = commands.add_parser("test", help="run policy test suites: every case's decision against what it expects")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="suite files, or directories: every *.json below them")
    p.add_argument("--json", action="store_true", help='one JSON line per file: {"file":...,"report":...} or {"file":...,"error":...}')
    p.add_argument("-v", "--verbose", action="store_true", help="print the explanation of every case")
    p.set_defaults(run=_cmd_test)
    p = commands.add_parser("validate", help="check one policy document; print errors and warnings with line and column")
    p.add_argument("file", metavar="POLICY_FILE", help="policy JSON file; - reads standard input")
    p.add_argument("--kind", default="resource", metavar="KIND", help="resource (default), identity, authorizer, endpoint or resource-based")
    p.add_argument("--json", action="store_true", help="print the diagnostics as a JSON array instead")
    p.set_defaults(run=_cmd_validate)
    return parser


def main(
    argv: Optional[Sequence[str]] = None,
    out: Optional[TextIO] = None,
    err: Optional[TextIO] = None,
    stdin: Optional[BinaryIO] = None,
) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    console = _Console(out if out is not None else sys.stdout, err if err is not None else sys.stderr)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr if err is None else err)
            return EXIT_BAD_INPUT
        if args.command == "test" and args.json and args.verbose:
            raise _UsageError("the argument '--json' cannot be used with '--verbose'")
        if args.command == "validate":
            # Checked before anything is read, as the Rust command line checks it.
            wrong = _kind_error(args.kind)
            if wrong is not None:
                raise _UsageError(f"invalid value '{args.kind}' for '--kind <KIND>': {wrong}")
    except _UsageError as e:
        console.err(f"error: {e}\n\nFor more information, try '--help'.\n")
        return EXIT_BAD_INPUT
    except SystemExit as e:  # --help and --version
        return int(e.code) if isinstance(e.code, int) else EXIT_OK
    run: Callable[[argparse.Namespace, _Console, BinaryIO], int] = args.run
    code = run(args, console, stdin if stdin is not None else sys.stdin.buffer)
    console.finish()
    return code


if __name__ == "__main__":
    sys.exit(main())
