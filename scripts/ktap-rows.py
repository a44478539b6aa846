#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# One results row per KUnit case, from the JSON kunit.py parse wrote for a
# KTAP log: "TARGET<TAB>SUITE.CASE<TAB>PASS|FAIL|SKIP<TAB>DETAIL", the
# detail of a skip being its reason from the KTAP text.
#
# usage: ktap-rows.py JSON TARGET KTAP
import json
import re
import sys

d = json.load(open(sys.argv[1]))
target = sys.argv[2]
ktap = open(sys.argv[3], errors="replace").read()
status = {"PASS": "PASS", "SKIP": "SKIP"}


def detail(t):
    if t["status"] == "PASS":
        return ""
    if t["status"] == "SKIP":
        m = re.search(r"ok \d+ " + re.escape(t["name"]) + r" # SKIP ?(.*)", ktap)
        return m.group(1).strip() if m else ""
    return t["status"]


def walk(g, prefix):
    for t in g.get("test_cases", []):
        print(f"{target}\t{prefix}{t['name']}\t{status.get(t['status'], 'FAIL')}\t{detail(t)}")
    for s in g.get("sub_groups", []):
        walk(s, prefix + s["name"] + ".")


for s in d.get("sub_groups", []):
    walk(s, s["name"] + ".")
