"""How every figure looks: palette, markers, legend wording and matplotlib settings.

Colours are the Okabe–Ito palette, safe for the common colour-vision deficiencies, and
never the only cue: lanes, panels, marker shapes, fills and end caps carry the same
information. Kept in one place so that an actor or an event type looks the same in
every figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision."""

GREY = "#6E6E6E"
LIGHT_GREY = "#BDBDBD"

ACTOR_NAMES = {"US": "United States", "RU": "Russia", "UA": "Ukraine"}
ACTOR_COLOURS = {
    "US": OKABE_ITO["blue"],
    "RU": OKABE_ITO["vermillion"],
    "UA": OKABE_ITO["bluish_green"],
}
"""One colour per main actor, the same in every figure."""

EVENT_MARKERS = {
    "call": "o",
    "meeting": "s",
    "summit": "*",
    "talks": "D",
    "statement": "^",
    "agreement": "P",
    "resolution": "v",
    "military": "X",
    "exchange": "h",
    "act": "<",
}
"""One marker shape per event type, so the type reads without colour."""
MARKER_SCALE = {"*": 1.45, "D": 0.85, "P": 1.1, "X": 1.1, "h": 1.05}
"""Size factors that make the marker shapes look about equally large."""

KIND_COLOURS = {
    "call": OKABE_ITO["blue"],
    "meeting": OKABE_ITO["sky_blue"],
    "summit": OKABE_ITO["black"],
    "talks": OKABE_ITO["bluish_green"],
    "statement": LIGHT_GREY,
    "agreement": OKABE_ITO["orange"],
    "resolution": OKABE_ITO["reddish_purple"],
    "military": OKABE_ITO["vermillion"],
    "exchange": OKABE_ITO["yellow"],
    "act": "#6E6E6E",
}
"""One colour per event type for the coverage view (Okabe & Ito, then greys)."""

STATUS_COLOURS = {
    "ended": GREY,
    "suspended": OKABE_ITO["orange"],
    "ongoing": OKABE_ITO["sky_blue"],
}
"""Initiative status; each also has its own end cap (see ``initiatives_periods``)."""

DISPUTED_LABEL = "disputed (essay's claim)"
RECORD_LABEL = "date on record"
UNVERIFIED_LABEL = "unverified (no source found)"

WIDTH = 5.0
"""Figure width in inches: narrower than the text of a US Letter or A4 page, so that
the text keeps its size when the figure is shrunk to a phone's width (390 px)."""
DPI = 200
SVG_HASH_SALT = "ukreport"
FONT = "DejaVu Sans"
"""Matplotlib ships this font, so output does not depend on the fonts a system has."""

RC: dict[RcKeyType, Any] = {
    "font.family": FONT,
    "font.size": 9,
    "axes.labelsize": 9,
    "axes.titlesize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "hatch.linewidth": 0.6,
    "mathtext.fontset": "dejavusans",
    # Text from the data is drawn as written: `$x^2$` is not mathematics, and `$\\foo$`
    # is not an error. The figures' own words use no mathtext either.
    "text.parse_math": False,
    "text.usetex": False,
    "svg.hashsalt": SVG_HASH_SALT,
    "svg.fonttype": "path",
    "savefig.dpi": DPI,
    "figure.dpi": DPI,  # lay out at the PNG resolution: text widths vary with dpi
}
"""Settings every figure is drawn and saved with (inside :func:`style`)."""


@contextmanager
def style() -> Iterator[None]:
    """Draw or save under :data:`RC`, leaving the caller's matplotlib settings alone.

    :data:`RC` goes on top of matplotlib's built-in defaults, not on the settings in
    force: a ``matplotlibrc`` (in the working folder, ``$MATPLOTLIBRC`` or the user's
    config) or an earlier ``rcParams`` change would otherwise alter the figures.
    """
    import matplotlib as mpl

    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(RC)
        yield
