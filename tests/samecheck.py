"""Same behaviour before and after a refactor: record every explorer's picture (decoded pixels, sha256) and
status sentence for its start state and each lecture case (background runs done inline, through
snapshot()), then compare another checkout against the record. Built on tests/explorer_harness.py's list of
explorers (with their notebooks' constructor arguments); about 30 s for all 134 states on a 2-core machine.

    git worktree add /tmp/before <commit>   # with its own venv (or: git stash; record; git stash pop)
    (cd /tmp/before && OPENBLAS_NUM_THREADS=1 .venv/bin/python tests/samecheck.py record /tmp/before.json)
    OPENBLAS_NUM_THREADS=1 .venv/bin/python tests/samecheck.py compare /tmp/before.json [ClassName ...]

record writes the PNGs too when PNGDIR is set; compare writes the new ones to /tmp/samecheck/<name>-<i>.png
and prints each state whose pixels or status differ (exit status 1), then "N differences over M states".
Used for issue 11's widget rewrite: every helper branch had to print 0 differences.
"""
import hashlib
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import explorer_harness as H
import numpy as np
from PIL import Image


def digest(png):
    return hashlib.sha256(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).tobytes()).hexdigest()


def states(names, pngdir=None):
    data = H.load_data()
    out = {}
    for spec in H.SPECS.values():
        if names and spec.name not in names:
            continue
        ex = spec.make(data)
        ex.wait(120)
        rows = []
        cases = [None] + list(getattr(ex, "presets", {}) or {})
        for i, case in enumerate(cases):
            shot = ex.snapshot(case=case) if case else ex.snapshot()
            rows.append({"case": case, "pixels": digest(shot.png), "status": shot.status})
            if pngdir:
                os.makedirs(pngdir, exist_ok=True)
                open(f"{pngdir}/{spec.name}-{i}.png", "wb").write(shot.png)
        out[spec.name] = rows
        print(spec.name, len(rows), "states", flush=True)
    return out


if __name__ == "__main__":
    mode, path, names = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    if mode == "record":
        json.dump(states(names, os.environ.get("PNGDIR")), open(path, "w"), indent=1)
    else:
        base = json.load(open(path))
        new = states(names, "/tmp/samecheck")
        bad = 0
        for name, rows in new.items():
            old = {r["case"]: r for r in base.get(name, [])}
            for i, r in enumerate(rows):
                o = old.get(r["case"])
                if o is None:
                    print(f"NEW   {name} [{i}] {r['case']!r}")
                    bad += 1
                    continue
                diffs = [k for k in ("pixels", "status") if o[k] != r[k]]
                if diffs:
                    bad += 1
                    print(f"DIFF  {name} [{i}] {r['case']!r}: {', '.join(diffs)}")
                    if "status" in diffs:
                        print(f"      was: {o['status']}\n      now: {r['status']}")
            for case in set(old) - {r["case"] for r in rows}:
                print(f"GONE  {name} {case!r}")
                bad += 1
        print(f"{bad} differences over {sum(len(r) for r in new.values())} states")
        sys.exit(1 if bad else 0)
