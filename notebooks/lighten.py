"""Store each picture once in an executed notebook (issue 14: notebooks of 0.3 to 1.4 MB).

    python notebooks/lighten.py notebooks/[0-9]*.ipynb        # rewrite in place; prints sizes
    python notebooks/lighten.py --check notebooks/[0-9]*.ipynb  # change nothing; exit 1 if heavy

An explorer's output holds its picture twice: as the live widget (the view, whose ipywidgets Image
model keeps the PNG bytes in the notebook's widget state) and as an image/png fallback in the same
output. `make notebooks` runs this after executing the notebooks, and it can be applied to any
executed notebook (again: it is idempotent). It

1. drops the widget view from every output that also has an image/png: the PNG is the one copy,
   and GitHub, nbviewer and JupyterLab (before the notebook runs) show it; running the cell brings
   the live widget back, and Voila always runs the notebook;
2. keeps in the widget state only the models that an output still shows (and the models those
   refer to), and removes the widget state when nothing is left: JupyterLab then has nothing to
   restore and shows no "Error displaying widget" for a view whose model is gone, because no such
   view is left;
3. stores each image/png as a 256-colour palette PNG (Pillow's fast octree quantizer, no dither):
   flat areas keep their exact colours (an entry within 3 of its most frequent true colour takes
   it) and only blends move (anti-aliased edges, smooth shading: on the lecture's figures the mean
   change is under 1 of 255 a channel). About a third of the bytes.
   An image already stored with a palette is left as it is (so a second run changes nothing);
4. replaces an image/png whose bytes equal an earlier output's in the same notebook (a cell that
   shows an explorer's picture again, unchanged) by a line of text saying where the picture is;
5. turns an explorer snapshot's output (widgets/snapshot.py: one text/html, an <img> of a data: URI
   PNG with the status sentence as its alt text and as a caption) into image/png, the sentence as
   the image's "alt" metadata (nbconvert's classic template, nbviewer) and as text/plain, and drops
   the HTML: GitHub may not show a data: URI inside HTML. An output that holds the picture both as
   image/png and inside its text/html (as Snapshot did before) keeps only the image/png;
6. drops each cell's execution timestamps (metadata "execution"), which change on every run, and
   joins consecutive stream outputs of the same stream (stdout, stderr) into one, as nbval does
   before it compares: how a kernel splits printed text into messages changes from run to run, and
   both only make re-execution diffs bigger.

Everything else (sources, other outputs, text, nbval-checked outputs) is left as it is.
"""
import argparse
import base64
import hashlib
import html
import io
import json
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
from PIL import Image

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]+)")
EMBEDDED_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)")
# what widgets/snapshot.py shows: the picture with its status as alt text, and the status as a caption
SNAPSHOT_HTML = re.compile(r'\s*<img src="data:image/png;base64,([A-Za-z0-9+/=\s]+)" alt="([^"]*)"[^>]*>'
                           r"(?:<div>[^<]*</div>)?\s*")
LIMIT = 400_000  # bytes: the largest a committed lecture notebook may be


def _views(nb):
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                yield output, view


def palette_png(data):
    """base64 PNG -> base64 PNG with a 256-colour palette (the same text if it has one already)."""
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    if image.mode == "P":
        return data
    if image.mode == "RGBA" and np.asarray(image)[..., 3].min() == 255:
        image = image.convert("RGB")  # opaque: the alpha channel carries nothing
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    small = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    # the octree's colours are averages of their cells (white comes out as 254): an entry within 3
    # of the most frequent true colour of its pixels takes that colour, so flat areas stay exact
    channels = len(image.getbands())
    true = np.asarray(image).reshape(-1, channels).astype(np.int64)
    code = np.zeros(len(true), np.int64)
    for c in range(channels):
        code = code * 256 + true[:, c]
    index = np.asarray(small).reshape(-1).astype(np.int64)
    pairs, counts = np.unique(index * 2**32 + code, return_counts=True)
    order = np.lexsort((-counts, pairs // 2**32))  # by palette entry, most frequent colour first
    entries, first = np.unique(pairs[order] // 2**32, return_index=True)
    palette = small.getpalette(rawmode="RGBA" if channels == 4 else "RGB")
    for entry, colour in zip(entries, pairs[order][first] % 2**32, strict=True):
        exact = [(int(colour) >> (8 * (channels - 1 - c))) & 255 for c in range(channels)]
        mean = palette[entry * channels:(entry + 1) * channels]
        if max(abs(a - b) for a, b in zip(exact, mean, strict=True)) <= 3:  # a flat area's colour, not a blend
            palette[entry * channels:(entry + 1) * channels] = exact
    small.putpalette(palette, rawmode="RGBA" if channels == 4 else "RGB")
    buffer = io.BytesIO()
    small.save(buffer, format="png", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii") + "\n"


def join_streams(outputs):
    """Consecutive stream outputs of the same name, joined into one."""
    joined = []
    for output in outputs:
        if (output.get("output_type") == "stream" and joined and joined[-1].get("output_type") == "stream"
                and joined[-1].get("name") == output.get("name")):
            joined[-1]["text"] = "".join(joined[-1]["text"]) + "".join(output["text"])
        else:
            joined.append(output)
    return joined


def snapshot_to_png(output):
    """A snapshot's text/html output -> image/png with the alt text as metadata (in place); True if it was one."""
    data = output.get("data", {})
    match = SNAPSHOT_HTML.fullmatch("".join(data.get("text/html", "")))
    if match is None:
        return False
    data.setdefault("image/png", re.sub(r"\s", "", match.group(1)))
    alt = html.unescape(match.group(2))
    data.setdefault("text/plain", alt)
    output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = alt
    del data["text/html"]
    return True


def lighten(nb):
    """Rewrite the notebook node in place (see the module's docstring); return it."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            snapshot_to_png(output)
    for output, _ in list(_views(nb)):
        if "image/png" in output["data"]:
            del output["data"][WIDGET_VIEW]
    first_shown = {}  # sha1 of a PNG's bytes -> the code cell (counted from 1) that shows it first
    code_cell = 0
    for cell in nb.cells:
        code_cell += cell.cell_type == "code"
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            digest = hashlib.sha1(base64.b64decode("".join(data["image/png"]))).hexdigest()
            if digest in first_shown:
                output["data"] = {"text/plain": f"(the same picture as the output of code cell "
                                                f"{first_shown[digest]} above; run the notebook to see it here)"}
                output.get("metadata", {}).pop("image/png", None)  # its alt text went with the picture
                continue
            first_shown[digest] = code_cell
            data["image/png"] = palette_png("".join(data["image/png"]))
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        if "outputs" in cell:
            cell.outputs = join_streams(cell.outputs)
    widgets = nb.metadata.get("widgets", {})
    state = widgets.get(WIDGET_STATE, {}).get("state", {})
    shown = [view["model_id"] for _, view in _views(nb)]
    keep, todo = set(), [m for m in shown if m in state]
    while todo:  # every model a shown one refers to, transitively (its layout, style, children)
        model = todo.pop()
        if model in keep:
            continue
        keep.add(model)
        todo += [m for m in MODEL_REF.findall(json.dumps(state[model])) if m in state]
    for model in set(state) - keep:
        del state[model]
    if not state and "widgets" in nb.metadata:
        del nb.metadata["widgets"]
    return nb


def _sha1(data):
    return hashlib.sha1(base64.b64decode(re.sub(r"\s", "", "".join(data)))).hexdigest()


def pictures(nb):
    """Every stored picture: (where, sha1 of its bytes) for each image/png output, each PNG embedded
    as a data: URI in a text/html or text/markdown output, and each binary buffer (an Image widget's
    PNG) in the widget state."""
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                found.append((f"cell {i} image/png", _sha1(data["image/png"])))
            for mime in ("text/html", "text/markdown"):
                for payload in EMBEDDED_PNG.findall("".join(data.get(mime, ""))):
                    found.append((f"cell {i} {mime}", _sha1(payload)))
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model, value in state.items():
        for buffer in value.get("buffers", []):
            found.append((f"widget {model} {'/'.join(map(str, buffer['path']))}",
                          hashlib.sha1(base64.b64decode(buffer["data"])).hexdigest()))
    return found


def stored_twice(nb):
    """[(where, where)] of pictures whose bytes are stored more than once, of outputs that hold a
    picture in two of their formats (image/png and a data: URI in text/html, whatever the bytes),
    and of explorer outputs that keep both a widget view and an image/png (their widget state holds
    the same figure)."""
    seen, twice = {}, []
    for where, digest in pictures(nb):
        if digest in seen:
            twice.append((seen[digest], where))
        seen.setdefault(digest, where)
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            formats = [mime for mime in data if mime == "image/png"
                       or (mime in ("text/html", "text/markdown") and EMBEDDED_PNG.search("".join(data[mime])))]
            for mime in formats[1:]:
                pair = (f"cell {i} {formats[0]}", f"cell {i} {mime}")
                if pair not in twice and pair[::-1] not in twice:  # not already found as the same bytes
                    twice.append(pair)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for output, view in _views(nb):
        if "image/png" in output["data"] and view.get("model_id") in state:
            twice.append((f"widget view {view['model_id']}", "its image/png fallback"))
    return twice


def html_pictures(nb):
    """[where] of pictures stored only as a data: URI inside a text/html or text/markdown output
    (GitHub may not show them; lighten() stores a snapshot's as image/png)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            found += [f"cell {i} {mime}" for mime in ("text/html", "text/markdown")
                      if "image/png" not in data and EMBEDDED_PNG.search("".join(data.get(mime, "")))]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help=f"change nothing; exit 1 if a notebook stores a picture twice, or only inside HTML, "
                             f"or is over {LIMIT} bytes")
    args = parser.parse_args(argv)
    bad = 0
    for path in args.notebooks:
        before = path.stat().st_size
        nb = nbformat.read(path, as_version=4)
        if args.check:
            twice, in_html = stored_twice(nb), html_pictures(nb)
            heavy = before > LIMIT and path.name[:2].isdigit()
            bad += bool(twice) or bool(in_html) or heavy
            print(f"{path}: {before / 1000:.0f} kB, {len(twice)} pictures stored twice, {len(in_html)} only inside HTML"
                  + (" (over the limit)" if heavy else ""))
            continue
        nbformat.write(lighten(nb), path)
        print(f"{path}: {before / 1000:.0f} kB -> {path.stat().st_size / 1000:.0f} kB")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
