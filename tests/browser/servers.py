"""Start and stop real Jupyter servers (JupyterLab, Voila) on 127.0.0.1 with a random token."""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
PRESENT = Path(__file__).resolve().parents[2] / "notebooks" / "present.py"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Debian's chromium-headless-shell: the same Blink and V8 as the browser, built for headless use (no
# desktop compositor or browser UI). The tests drive it when it is installed: visiting four notebooks in
# Voila took 12 s of its CPU against 20 s for the full browser (this 2-core machine), and make test visits
# about 40. The latency benchmark and the screenshots keep the full browser, what a lecturer runs.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def find_chromium(headless_shell=False):
    """The path of a Chromium to launch (headless_shell: chromium-headless-shell if installed), or None."""
    if headless_shell and os.path.exists(HEADLESS_SHELL):
        return HEADLESS_SHELL
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    return shutil.which("chromium")


def chromium_args(path):
    """CHROMIUM_ARGS for the binary at path (the headless shell has only one headless mode)."""
    return [arg for arg in CHROMIUM_ARGS if not (path == HEADLESS_SHELL and arg.startswith("--headless"))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Jupyter server process: .url(path) adds the token; stop() ends it by process id.
    extra_env: environment variables for the server and its kernels (e.g. {"TNN_PRESENT": "0"}); extra_args:
    more command-line options (they come last, so they win)."""

    def __init__(self, kind, root, log_path, extra_env=None, extra_args=()):
        self.kind, self.root = kind, Path(root)
        self.port, self.token = free_port(), secrets.token_hex(16)
        if kind == "lab":
            cmd = [
                str(BIN / "jupyter"),
                "lab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                f"--ServerApp.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                "--ServerApp.port_retries=0",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--ContentsManager.allow_hidden=False",
                # window.jupyterapp: the tests read the notebook's session and kernel state from the page
                # (whether its kernel is connected and idle, which cell is running) and open notebooks in
                # the running app instead of reloading JupyterLab for each one
                "--LabApp.expose_app_in_browser=True",
            ]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")  # CI runs as root
            cmd.extend(extra_args)
        else:
            # as `make present` runs it: Voila whose root URL opens index.ipynb (notebooks/present.py)
            cmd = [str(BIN / "python"), str(PRESENT), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={self.port}",
                   f"--Voila.token={self.token}", "--Voila.port_retries=0", *extra_args, str(self.root)]
        env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", PYTHONWARNINGS="ignore")
        if kind == "voila":  # Voila is the lecture hall: the explorers in their presentation theme (issue 14)
            env.setdefault("TNN_PRESENT", "1")
        else:  # JupyterLab: the notebook view, in the default theme (whatever the caller's environment says)
            env["TNN_PRESENT"] = "0"
        env.update(extra_env or {})
        if kind == "lab":  # no "get notified about news?" pop-up over the notebook
            settings = Path(log_path).parent / "lab-user-settings"
            target = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text('{"fetchNews": "false", "checkForUpdates": false}')
            env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(cmd, cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT,
                                        env=env, start_new_session=True)
        self.wait_until_up()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path, token=True):
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}" if token else f"{self.base}{path}"

    def status(self, path, token=True):
        """HTTP status code of a GET (no redirects followed)."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(self.url(path, token), timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def wait_until_up(self, timeout=90):
        probe = "/api/status" if self.kind == "lab" else "/voila/tree"  # Voila's "/" redirects to the index
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited early; see {self.log.name}")
            try:
                if self.status(probe) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.kind} server did not answer within {timeout} s; see {self.log.name}")

    def request(self, method, path):
        """Send an API request with the token in the header; returns (status code, body)."""
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""

    def api(self, path):
        """GET a JSON API (JupyterLab only): the decoded body."""
        status, body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}\n{self.log_tail()}")
        return json.loads(body)

    def log_tail(self, lines=40):
        """The last lines of the server's log, for a failure's diagnostic."""
        if not self.log.closed:
            self.log.flush()
        text = Path(self.log.name).read_text(errors="replace").splitlines()
        return f"--- last {min(lines, len(text))} lines of {self.log.name} ---\n" + "\n".join(text[-lines:])

    def shutdown_kernels(self, timeout=60):
        """Close every session through the sessions API (which shuts its kernel down), shut down any
        kernel without a session, and wait until the server lists neither: the next notebook then
        opens on a server with no kernel starting, running or shutting down.

        Close the browser page (its kernel websocket) first: a page that sees its kernel vanish
        reconnects to it, or starts a new one, while the server is shutting it down."""
        if self.kind != "lab":
            return
        deadline = time.monotonic() + timeout
        for session in self.api("/api/sessions"):
            self.request("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("/api/kernels"):
            self.request("DELETE", f"/api/kernels/{kernel['id']}")
        while time.monotonic() < deadline:
            sessions, kernels = self.api("/api/sessions"), self.api("/api/kernels")
            if not sessions and not kernels:
                return
            time.sleep(0.1)
        raise RuntimeError(f"the lab server still lists sessions {sessions} and kernels {kernels} "
                           f"{timeout} s after they were shut down\n{self.log_tail()}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.log.close()
