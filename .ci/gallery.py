#!/usr/bin/python3
"""Regenerates the README's gallery and notebook timings from the notebooks as last executed.

usage: /usr/bin/python3 .ci/gallery.py [--notebooks target/notebooks] [--readme README.md] [--out docs/gallery]

Reads the executed notebooks and timings.json that the notebooks stage of ./test.sh writes, saves the outputs listed
in GALLERY below as PNG files in --out (each is the image the notebook itself shows: an image/png output, or the
first image of an HTML output), and rewrites the parts of the README between <!-- gallery --> and
<!-- /gallery -->, and between <!-- timings --> and <!-- /timings -->. A cell that is missing, or whose output has
no image, is an error: the gallery shows real outputs or nothing. Also writes the Binder badge between
<!-- binder --> and <!-- /binder --> when the checkout's origin is on GitHub.
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys

import nbformat

# (file, notebook, a piece of the cell's source that finds it, caption)
GALLERY = [
    ("circuit.png", "00-tour", "%circuit conv5:18",
     "The tour's circuit of `conv5:18`: feature visualisations on the units, every edge through its weight heatmap, "
     "and how much of the unit it explains"),
    ("mobilenet-circuit.png", "05-your-own-model", "residual = Circuit.of(net",
     "A circuit through a residual block of Google's TF2 MobileNet v2 (TensorFlow Lite, int8), loaded with no flags"),
    ("world.png", "01-organism", "sheet(scenes.subList(0, 8), true)",
     "The organism's world: scenes built from shared parts, with the boxes of their parts"),
    ("featurevis-conv5.png", "01-organism", "%featurevis conv5 --channels 0-15",
     "Feature visualisations of `conv5`'s first sixteen units"),
    ("wheel-examples.png", "01-organism", "DatasetExamples.of(organism, wheelUnit)",
     "Dataset examples of the wheel unit, cropped to its receptive field"),
    ("weights.png", "04-reading-weights", "%weights conv3:7 --top 8",
     "A unit's strongest inputs as weight heatmaps on one symmetric scale"),
    ("tuning.png", "03-activations-examples-tuning", "%tuning conv3:7 curves",
     "A tuning heatmap: a `conv3` unit against curves by orientation and radius"),
]

# the notebooks, in the README's order, for the timings table
NOTEBOOKS = sorted(os.path.splitext(n)[0] for n in os.listdir(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "notebooks")) if n.endswith(".ipynb"))


def image_of(cell):
    """The PNG bytes of the last figure a cell shows."""
    found = None
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "image/png" in data:
            found = base64.b64decode(data["image/png"])
        elif "text/html" in data:
            html = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
            m = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
            if m:
                found = base64.b64decode(m.group(1))
    return found


def replace_block(text, name, body):
    start, end = "<!-- %s -->" % name, "<!-- /%s -->" % name
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit("gallery: the README has no %s … %s block" % (start, end))
    return pattern.sub(lambda _: start + "\n" + body.rstrip("\n") + "\n" + end, text)


def binder_badge():
    try:
        url = subprocess.run(["git", "remote", "get-url", "origin"], capture_output=True, text=True,
                             check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.match(r"(?:https://github\.com/|git@github\.com:)([^/]+)/(.+?)(?:\.git)?$", url)
    if not m:
        return None
    return ("[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/%s/%s/HEAD?"
            "urlpath=tree/notebooks/00-tour.ipynb)" % (m.group(1), m.group(2)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notebooks", default="target/notebooks")
    parser.add_argument("--readme", default="README.md")
    parser.add_argument("--out", default="docs/gallery")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for name, notebook, key, caption in GALLERY:
        nb = nbformat.read(os.path.join(args.notebooks, notebook + ".ipynb"), as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code" and key in c.source]
        if len(cells) != 1:
            raise SystemExit("gallery: %d cells of %s hold %r" % (len(cells), notebook, key))
        png = image_of(cells[0])
        if png is None:
            raise SystemExit("gallery: the cell %r of %s shows no image" % (key, notebook))
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(png)
        rows.append("**%s** (`%s.ipynb`)\n\n![%s](%s/%s)\n" % (caption, notebook, caption.replace("`", ""),
                                                           args.out, name))
    with open(os.path.join(args.notebooks, "timings.json")) as f:
        timings = json.load(f)
    missing = [n for n in NOTEBOOKS if n not in timings]
    if missing:
        raise SystemExit("gallery: timings.json has no time for %s (run the whole notebooks stage)" % missing)
    table = ["| notebook | time to run here |", "| --- | --- |"]
    for n in NOTEBOOKS:
        table.append("| `%s.ipynb` | %s |" % (n, minutes(timings[n])))
    with open(args.readme, encoding="utf-8") as f:
        text = f.read()
    text = replace_block(text, "gallery", "\n".join(rows))
    text = replace_block(text, "timings", "\n".join(table))
    badge = binder_badge()
    text = replace_block(text, "binder", badge if badge else
                         "Binder: `binder/` holds the configuration (`apt.txt`, `postBuild`); this checkout has no "
                         "GitHub remote, so there is no badge to link to yet (`.ci/gallery.py` writes it from "
                         "`git remote get-url origin`).")
    with open(args.readme, "w", encoding="utf-8") as f:
        f.write(text)
    print("gallery: %d images in %s, timings of %d notebooks, README updated" % (len(rows), args.out,
                                                                                len(NOTEBOOKS)))
    return 0


def minutes(seconds):
    return "%d s" % round(seconds) if seconds < 90 else "%.1f min" % (seconds / 60)


if __name__ == "__main__":
    sys.exit(main())
