"""Voila for the lecture hall (`make present`): the notebooks directory, with the root URL landing on
notebooks/index.ipynb (the table of contents) instead of Voila's file list.

    python notebooks/present.py [voila options] notebooks

Voila stays in directory mode, so the index's links and each notebook's previous / next links
(relative links to sibling notebooks, /voila/render/<name>) keep working, and the file list is
still at /voila/tree. Standalone Voila has no option for its landing page (Jupyter server's
ServerApp.default_url belongs to the server-extension mode, which would also serve the whole
Jupyter server API); this adds one redirect, GET <server_url> -> <server_url>voila/render/index.ipynb,
keeping the query string (the token rides along; the rendered page checks it as before).
"""
import sys

from jupyter_server.utils import url_path_join
from tornado.web import RedirectHandler
from voila.app import Voila

LANDING = "index.ipynb"


class PresentVoila(Voila):
    """Voila whose root URL redirects to the landing notebook (when serving a directory)."""

    def init_handlers(self):
        handlers = super().init_handlers()
        if self.notebook_path:  # one notebook served: it is the root already
            return handlers
        target = url_path_join(self.server_url, "voila/render", LANDING)
        return [(self.server_url, RedirectHandler, {"url": target, "permanent": False})] + handlers


main = PresentVoila.launch_instance

if __name__ == "__main__":
    sys.exit(main())
