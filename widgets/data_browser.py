"""A browser over the data set: one example large with its label, and a few examples of every class."""
import numpy as np
from matplotlib.patches import Rectangle

from core import data as core_data

from .base import COLORS, Explorer, dropdown, slider


class DataBrowser(Explorer):
    """Slide over the examples of a split (train / val / test) and see each image with its label, next to
    a grid of the first `per_class` examples of every class (the current class framed).

    data: a dict from core.data (X_train, y_train, X_val, y_val, X_test, y_test), not preprocessed.
    class_names: names for the labels (None: the digits 0..9).
    """

    title = "The data: one example, and a few of every class"
    figsize = (11, 4.4)
    SPLITS = ("train", "val", "test")

    def __init__(self, data, class_names=None, per_class=5):
        self.data, self.per_class = data, per_class
        self.num_classes = core_data.num_classes(data)
        self.class_names = list(class_names) if class_names is not None else [str(c) for c in range(self.num_classes)]
        super().__init__()

    def make_controls(self):
        split = dropdown("split", list(self.SPLITS), "train")
        split.observe(self._on_split, names="value")  # before the refresh: keeps the example in the split
        return {"split": split,
                "index": slider("example", 0, 0, self.data["X_train"].shape[0] - 1, 1, integer=True)}

    def colors(self):
        return [COLORS["bad"]]  # the frame around the current class (a thick frame: not colour alone)

    def _on_split(self, change):
        """Keep the example slider inside the chosen split (before the refresh runs)."""
        last = self.data[f"X_{change['new']}"].shape[0] - 1
        if self.index.value > last:
            self.index.value = last
        self.index.max = last

    def _image(self, row):
        return np.clip(core_data.row_to_image(row), 0, 1)

    def build_figure(self):
        grid = self.fig.add_gridspec(self.per_class, self.num_classes + 6)
        self.ax_big = self.fig.add_subplot(grid[:, :5])
        first = self._image(self.data["X_train"][0])
        self.big = self.ax_big.imshow(first, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        self.big_title = self.ax_big.set_title("", fontsize=15)
        self.ax_big.axis("off")  # the image is redrawn on every move: its frame is drawn after it, below
        self.big_frame = self.ax_big.add_patch(Rectangle((0, 0), 1, 1, transform=self.ax_big.transAxes, fill=False,
                                                         ec="#444444", lw=1.0, clip_on=False))
        self.frames = []
        X, y = self.data["X_train"], self.data["y_train"]
        longest = max(len(name) for name in self.class_names)
        for c in range(self.num_classes):
            rows = np.flatnonzero(y == c)[: self.per_class]
            for r in range(self.per_class):
                ax = self.fig.add_subplot(grid[r, 6 + c], xticks=[], yticks=[])
                if r < rows.size:
                    ax.imshow(self._image(X[rows[r]]), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
                if r == 0:
                    ax.set_title(self.class_names[c], fontsize=11 if longest <= 5 else 7)
                for spine in ax.spines.values():
                    spine.set_color("#cccccc")
                frame = ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, ec=COLORS["bad"],
                                               lw=2.5, clip_on=False))
                self.frames.append((c, frame))
        self.animate(self.big, self.big_frame, self.big_title, *[frame for _, frame in self.frames])

    def refresh(self):
        split = self.split.value
        X, y = self.data[f"X_{split}"], self.data[f"y_{split}"]
        i = min(self.index.value, X.shape[0] - 1)
        label = int(y[i])
        self.big.set_data(self._image(X[i]))
        self.big_title.set_text(f"{split} example {i}: label {self.class_names[label]}")
        for c, frame in self.frames:
            if frame.get_visible() != (c == label):
                frame.set_visible(c == label)
        self.show_message(f"{split} split: {X.shape[0]} examples of {X.shape[1]} values in [0, 1]; "
                          f"example {i} is a {self.class_names[label]}")
