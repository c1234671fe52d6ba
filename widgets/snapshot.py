"""Explorer.snapshot: a static picture of another state for a notebook cell, while the interactive
explorer stays where it was (so a served page opens on the explorer's start case)."""
import base64
import html


class Snapshots:
    """A mixin of widgets.base.Explorer."""

    def snapshot(self, case=None, **values):
        """A static picture (and status) of a lecture case and/or control values, computed without
        changing what the interactive explorer shows: its controls, picture and status are restored."""
        if case is not None and case not in self.presets:
            raise ValueError(f"case must be one of {list(self.presets)}, got {case!r}")
        wanted = {**(self.presets[case] if case else {}), **values}
        for name in wanted:
            if not hasattr(self, name):
                raise ValueError(f"{type(self).__name__} has no control named {name!r}")
        self.wait()  # a run in progress finishes first (it needs the lock to draw)
        with self._lock:
            saved = {name: getattr(self, name).value for name in wanted}
            image, status = self.image.value, self.status.value
            self._set_values(wanted)
            self._inline_runs = True
            try:
                with self.quiet():
                    self.refresh()
                shot = Snapshot(self.png(full=True), self.message)
            finally:
                self._inline_runs = False
                self._set_values(saved)
                with self.quiet():
                    self.refresh()
                self.png(full=True)
                self.image.value, self.status.value = image, status
        return shot


class Snapshot:
    """A static picture of an explorer state and its status sentence (what Explorer.snapshot returns).

    Shown as one text/html output: the PNG once, in an <img> whose alt text is the status sentence
    (for screen readers; JupyterLab, Voila and nbconvert show it), with the sentence as a caption
    below; text/plain is the sentence. No separate image/png: it would store the same picture a
    second time. notebooks/lighten.py turns it into image/png (with the sentence as the image's
    "alt" metadata and as text/plain) in the committed notebooks, for viewers that may not show a
    data: URI inside HTML (GitHub)."""

    def __init__(self, png, status):
        self.png, self.status = png, status

    def _repr_mimebundle_(self, **kwargs):
        data = base64.b64encode(self.png).decode("ascii")
        alt = html.escape(self.status, quote=True)
        return {"text/plain": self.status,
                "text/html": f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%">'
                             f"<div>{html.escape(self.status)}</div>"}
