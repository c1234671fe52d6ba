"""Coalescing of slider storms: changes from the browser faster than `seconds` apart run once, the last
value winning; without an asyncio loop (tests, scripts) every change runs at once."""
import asyncio
import time


class Throttle:
    def __init__(self, seconds, action):
        self.seconds, self.action = seconds, action
        self.pending, self.last = None, 0.0

    def request(self):
        """Run action now if the last run is old enough, else once at the end of the interval."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        wait = self.seconds - (time.perf_counter() - self.last)
        if loop is None or self.seconds <= 0 or (wait <= 0 and self.pending is None):
            self.run()
        elif self.pending is None:
            self.pending = loop.call_later(max(wait, 0.0), self.run)

    def run(self):
        self.pending = None
        self.action()
        self.last = time.perf_counter()
