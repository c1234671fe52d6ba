"""Light notebooks (issue 14): each picture stored once, no lecture notebook over 400 KB, and every
figure still there for a viewer that cannot run widgets (GitHub, nbviewer, JupyterLab before the
notebook runs). notebooks/lighten.py does it; `make notebooks` runs it after executing them."""
import base64
import copy
import importlib.util
import io
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LECTURES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((NOTEBOOKS / "exercises" / "source" / "training_nets").glob("[0-9]*.ipynb"))  # lightened too

spec = importlib.util.spec_from_file_location("lighten", NOTEBOOKS / "lighten.py")
lighten = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lighten)


def png_outputs(nb):
    return [output for cell in nb.cells for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


def pixels(data):
    return np.asarray(Image.open(io.BytesIO(base64.b64decode("".join(data)))).convert("RGB")).astype(int)


@pytest.mark.parametrize("path", LECTURES + SOLUTIONS, ids=lambda p: p.name)
def test_committed_lecture_notebook_is_light(path):
    """Fails until `python notebooks/lighten.py notebooks/[0-9]*.ipynb` has been run on it."""
    size = path.stat().st_size
    assert size <= lighten.LIMIT, f"{path.name} is {size / 1000:.0f} kB (limit {lighten.LIMIT / 1000:.0f} kB)"
    nb = nbformat.read(path, as_version=4)
    assert lighten.stored_twice(nb) == [], f"{path.name} stores a picture twice"
    assert lighten.html_pictures(nb) == [], f"{path.name} keeps a picture only inside HTML (GitHub may not show it)"


def test_lighten_keeps_every_figure_and_changes_nothing_else(tmp_path):
    for source in LECTURES:
        path = tmp_path / source.name
        shutil.copy(source, path)
        before = nbformat.read(path, as_version=4)
        assert lighten.main([str(path)]) == 0
        after = nbformat.read(path, as_version=4)
        assert [c.source for c in after.cells] == [c.source for c in before.cells]
        assert path.stat().st_size <= lighten.LIMIT, f"{source.name}: {path.stat().st_size} bytes"
        assert lighten.stored_twice(after) == []
        # every output is still there; a picture is replaced by text only where it repeats an earlier one
        repeated = 0
        for cell_before, cell_after in zip(before.cells, after.cells):
            joined = lighten.join_streams(copy.deepcopy(cell_before.get("outputs", [])))
            for old, new in zip(joined, cell_after.get("outputs", []), strict=True):
                snapshot = lighten.SNAPSHOT_HTML.fullmatch("".join(old.get("data", {}).get("text/html", "")))
                if snapshot:  # an explorer's snapshot: stored once, as image/png with its status as alt text
                    assert set(new["data"]) == {"image/png", "text/plain"}
                    assert new["metadata"]["image/png"]["alt"] == "".join(old["data"]["text/plain"])
                    if "image/png" not in old["data"]:
                        old["data"]["image/png"] = snapshot.group(1)
                if "image/png" in old.get("data", {}):
                    if "image/png" in new["data"]:
                        a, b = pixels(old["data"]["image/png"]), pixels(new["data"]["image/png"])
                        assert a.shape == b.shape
                        assert np.abs(a - b).mean() < 2.0, f"{source.name}: a picture changed visibly"  # of 255
                    else:
                        repeated += 1
                        assert "the same picture as the output of code cell" in new["data"]["text/plain"]
                else:
                    assert new == old  # text, tables, errors: untouched
                if lighten.WIDGET_VIEW in old.get("data", {}):  # an explorer: its PNG stays, its view goes
                    assert lighten.WIDGET_VIEW not in new.get("data", {})
        assert len(png_outputs(after)) + repeated == len(png_outputs(before))
        assert "widgets" not in after.metadata, f"{source.name}: widget state left with no view showing it"
        # a second run changes nothing (make notebooks may run it on notebooks it already lightened)
        text = path.read_bytes()
        lighten.main([str(path)])
        assert path.read_bytes() == text


def widget_notebook():
    """A notebook with an explorer (view + PNG fallback + an Image model holding the same PNG) and a
    plain widget without a fallback (a slider whose layout model it refers to)."""
    buffer = io.BytesIO()
    Image.fromarray(np.full((4, 4, 3), 200, np.uint8)).save(buffer, format="png")
    png = base64.b64encode(buffer.getvalue()).decode()
    view = lambda model: {"model_id": model, "version_major": 2, "version_minor": 0}
    explorer = nbformat.v4.new_output("execute_result", execution_count=1, data={
        lighten.WIDGET_VIEW: view("aa01"), "image/png": png, "text/plain": "<explorer>"})
    slider = nbformat.v4.new_output("display_data", data={lighten.WIDGET_VIEW: view("bb02"), "text/plain": "slider"})
    again = nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Image>"})
    nb = nbformat.v4.new_notebook()
    printed = [nbformat.v4.new_output("stream", name="stdout", text=text) for text in ("a\n", "b\n")]
    printed.insert(1, nbformat.v4.new_output("stream", name="stderr", text="warning\n"))
    printed.append(nbformat.v4.new_output("stream", name="stdout", text="c\n"))
    nb.cells = [nbformat.v4.new_code_cell("explorer", outputs=[explorer] + printed),
                nbformat.v4.new_code_cell("slider", outputs=[slider]),
                nbformat.v4.new_code_cell("display(Image(explorer.png()))", outputs=[again])]
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "2026-11-30T13:00:00Z"}
    state = {"aa01": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_aa02"]}},
             "aa02": {"model_name": "ImageModel", "state": {"layout": "IPY_MODEL_aa03"},
                      "buffers": [{"path": ["value"], "encoding": "base64", "data": png}]},
             "aa03": {"model_name": "LayoutModel", "state": {}},
             "bb02": {"model_name": "IntSliderModel", "state": {"layout": "IPY_MODEL_bb03"}},
             "bb03": {"model_name": "LayoutModel", "state": {}}}
    nb.metadata["widgets"] = {lighten.WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    return nb


def test_stored_twice_sees_the_explorer_and_the_repeated_picture():
    found = lighten.stored_twice(widget_notebook())
    assert ("cell 0 image/png", "widget aa02 value") in found  # widget state and fallback: the same bytes
    assert ("cell 0 image/png", "cell 2 image/png") in found
    assert ("widget view aa01", "its image/png fallback") in found


def test_lighten_drops_the_explorer_view_and_its_models_but_keeps_a_widget_without_fallback():
    nb = lighten.lighten(widget_notebook())
    first, slider, again = (cell.outputs[0] for cell in nb.cells)
    # stdout, stderr, stdout, stdout: the last two joined; stdout and stderr are not mixed
    assert [(o["name"], "".join(o["text"])) for o in nb.cells[0].outputs[1:]] == [
        ("stdout", "a\n"), ("stderr", "warning\n"), ("stdout", "b\nc\n")]
    assert set(first["data"]) == {"image/png", "text/plain"}
    assert slider["data"][lighten.WIDGET_VIEW]["model_id"] == "bb02"  # no fallback: the view stays...
    state = nb.metadata["widgets"][lighten.WIDGET_STATE]["state"]
    assert set(state) == {"bb02", "bb03"}  # ...with the models it needs, and nothing of the explorer's
    assert set(again["data"]) == {"text/plain"} and "code cell 1" in again["data"]["text/plain"]
    assert "execution" not in nb.cells[0].metadata
    assert lighten.stored_twice(nb) == []
    assert lighten.lighten(copy.deepcopy(nb)) == nb


def snapshot_notebook():
    """Two outputs of widgets.snapshot.Snapshot: as it shows itself now (one text/html) and as it did
    before (image/png and, again, inside text/html)."""
    from widgets.snapshot import Snapshot

    shots = []
    for offset in (0, 1):  # two different pictures
        buffer = io.BytesIO()
        Image.fromarray(np.arange(48, dtype=np.uint8).reshape(4, 4, 3) * 5 + offset).save(buffer, format="png")
        shots.append(Snapshot(buffer.getvalue(), 'diverged: cost 4.8e+08 > 3 x 2.30 & "lr" 1e6'))
    live = shots[0]._repr_mimebundle_()
    old = dict(shots[1]._repr_mimebundle_(), **{"image/png": base64.b64encode(shots[1].png).decode()})
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("explorer.snapshot('huge')", outputs=[
        nbformat.v4.new_output("execute_result", execution_count=1, data=bundle)]) for bundle in (live, old)]
    return nb, shots


def test_a_snapshot_is_shown_with_its_picture_once_and_stored_as_png_with_alt_text():
    nb, shots = snapshot_notebook()
    live = nb.cells[0].outputs[0]["data"]
    assert "image/png" not in live and len(lighten.EMBEDDED_PNG.findall(live["text/html"])) == 1
    assert 'alt="diverged: cost 4.8e+08 &gt; 3 x 2.30 &amp; &quot;lr&quot; 1e6"' in live["text/html"]
    assert lighten.stored_twice(nb) == [("cell 1 image/png", "cell 1 text/html")]  # the old bundle
    assert lighten.html_pictures(nb) == ["cell 0 text/html"]  # GitHub may not show it: lighten stores it as PNG
    lightened = lighten.lighten(copy.deepcopy(nb))
    for cell, shot in zip(lightened.cells, shots, strict=True):
        output = cell.outputs[0]
        assert set(output["data"]) == {"image/png", "text/plain"}
        assert output["data"]["text/plain"] == shot.status
        assert output["metadata"]["image/png"]["alt"] == shot.status  # nbconvert's classic template uses it
        assert (pixels(output["data"]["image/png"]) == pixels(base64.b64encode(shot.png).decode())).all()
    assert lighten.stored_twice(lightened) == [] and lighten.html_pictures(lightened) == []
    assert lighten.lighten(copy.deepcopy(lightened)) == lightened


def test_check_mode_fails_a_heavy_or_doubled_notebook_and_writes_nothing(tmp_path):
    path = tmp_path / "99_doubled.ipynb"
    nbformat.write(widget_notebook(), path)
    text = path.read_bytes()
    assert lighten.main(["--check", str(path)]) == 1
    assert path.read_bytes() == text
    assert lighten.main([str(path)]) == 0
    assert lighten.main(["--check", str(path)]) == 0
