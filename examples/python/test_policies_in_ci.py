"""Test your API's policies in CI: run policy test suites, print what failed and why, exit non-zero on failure.

    pip install apigw-authz
    python examples/python/test_policies_in_ci.py policies/tests/            # directories of *.json suites
    python examples/python/test_policies_in_ci.py suite.json --junit report.xml

A suite is your API (resource policy, methods, authorizers, the IAM principals that call it) plus cases, each a
request and the decision fields you expect (`docs/contract-extensions.md`). Keep the suites beside the policies
in your repository; this script is all the pipeline needs. `--junit` writes a JUnit XML report, which most CI
systems display per case.

(`python -m apigw_authz test PATH...` does the same without the JUnit report.) Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import List, Optional, Tuple

import apigw_authz

REPO = Path(__file__).resolve().parents[2]


def suite_files(paths: List[Path]) -> List[Path]:
    """Every `*.json` below each directory (as `apigw-authz test` reads them), and each file as given."""
    files: List[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return files


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[REPO / "examples" / "scenarios"])
    parser.add_argument("--junit", type=Path, help="write a JUnit XML report here")
    args = parser.parse_args(argv)

    files = suite_files(args.paths)
    if not files:
        # A pipeline that runs nothing must not pass.
        print(f"no suite found in {', '.join(str(p) for p in args.paths)}", file=sys.stderr)
        return 2
    results: List[Tuple[Path, Optional[apigw_authz.SuiteReport], Optional[apigw_authz.Error]]] = []
    for path in files:
        try:
            results.append((path, apigw_authz.run_suite(path.read_text(encoding="utf-8")), None))
        except apigw_authz.Error as e:
            # Bad input names its place: `suite.json:12:9 /api/policy/Statement/0/Effect`.
            results.append((path, None, e))

    passed = failed = broken = 0
    for path, report, error in results:
        if error is not None:
            broken += 1
            where = f":{error.line}:{error.column}" if error.line is not None else ""
            print(f"ERROR {path}{where} {error.path}\n      {error}")
            continue
        assert report is not None
        passed += report["passed"]
        failed += report["failed"]
        for case in report["cases"]:
            if case["passed"]:
                print(f"ok    {path.name}: {case['name']}")
                continue
            print(f"FAIL  {path.name}: {case['name']}")
            for d in case["differences"]:
                print(f"      {d['field']}: expected {json.dumps(d['expected'])}, got {json.dumps(d['actual'])}")
            # The explanation says which statement decided, and why each other one did not apply.
            for step in case["decision"]["explanation"]:
                print(f"        [{step['outcome']}] {step['step']}: {step['summary']}")

    if args.junit:
        write_junit(args.junit, results)
    print(f"\n{passed} passed, {failed} failed" + (f", {broken} suites could not be read" if broken else ""))
    return 1 if failed or broken else 0


def write_junit(
    path: Path, results: List[Tuple[Path, Optional[apigw_authz.SuiteReport], Optional[apigw_authz.Error]]]
) -> None:
    root = ET.Element("testsuites", name="apigw-authz policies")
    for file, report, error in results:
        suite = ET.SubElement(root, "testsuite", name=file.name)
        if error is not None:
            case = ET.SubElement(suite, "testcase", name="(suite file)", classname=file.stem)
            ET.SubElement(case, "error", message=error.message).text = str(error)
            continue
        assert report is not None
        suite.set("tests", str(len(report["cases"])))
        suite.set("failures", str(report["failed"]))
        for c in report["cases"]:
            case = ET.SubElement(suite, "testcase", name=c["name"], classname=file.stem)
            if not c["passed"]:
                lines = [f"{d['field']}: expected {json.dumps(d['expected'])}, got {json.dumps(d['actual'])}" for d in c["differences"]]
                ET.SubElement(case, "failure", message="; ".join(lines)).text = json.dumps(c["decision"], indent=2)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    sys.exit(main())
