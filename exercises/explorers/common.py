"""What every exercise explorer does while a student's function still raises NotImplementedError."""
import numpy as np


def not_yet(explorer, what):
    """Say so, and blank the moving lines, so no picture looks like a result the student has not made."""
    for artist in explorer.animated:
        if hasattr(artist, "get_xdata"):
            artist.set_ydata(np.full(len(artist.get_xdata()), np.nan))
    explorer.show_message(f"{what} not implemented yet: fill in its cell above, run it, then run this cell again")
