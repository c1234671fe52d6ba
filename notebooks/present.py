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
# Voila starts a kernel for every page it renders, and by default keeps it until the server stops: a lecture
# that walks through the 14 notebooks would end holding 14 kernels (measured: 3 visited notebooks, 3 kernels
# still running a minute after the browser had closed). A kernel whose page is gone (no connection left) is
# shut down once idle for CULL_SECONDS; an open page keeps its kernel however long it sits (cull_connected is
# off), and going back to a notebook renders it with a new kernel anyway. Options given on the command line
# override these.
CULL_SECONDS, CULL_EVERY = 60, 20
CULL = [f"--MappingKernelManager.cull_idle_timeout={CULL_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_EVERY}"]


class PresentVoila(Voila):
    """Voila whose root URL redirects to the landing notebook (when serving a directory)."""

    def init_handlers(self):
        handlers = super().init_handlers()
        if self.notebook_path:  # one notebook served: it is the root already
            return handlers
        target = url_path_join(self.server_url, "voila/render", LANDING)
        return [(self.server_url, RedirectHandler, {"url": target, "permanent": False})] + handlers


def main(argv=None):
    """Voila with the landing page, culling the kernels left behind (CULL, unless argv sets the same option)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    given = {arg.split("=")[0] for arg in argv}
    return PresentVoila.launch_instance(argv=[opt for opt in CULL if opt.split("=")[0] not in given] + argv)

if __name__ == "__main__":
    sys.exit(main())
