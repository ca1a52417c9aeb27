"""Build the fixed technique palette of the HTML reports (``framing.report.html.TECHNIQUE_COLOURS``).

Picks N light, moderately saturated colours (CIELAB L* 74-92, chroma at most
MAX_CHROMA, inside sRGB, so dark text stays readable on them) that are as far
apart as possible in CIEDE2000, from each other and from the white page: a
greedy farthest-point selection over a grid of candidates, white counting as
already chosen. Deterministic; prints the colours in the order picked. Needs ``coloraide`` (the ``dev`` extra)::

    python scripts/technique_palette.py 26
"""

from __future__ import annotations

import sys

from coloraide import Color

#: Upper bound of the CIELAB chroma: brighter badges shout louder than the text they label.
MAX_CHROMA = 55


def candidates() -> list[Color]:
    """Light sRGB colours on a CIELAB grid (L* 74-92, a*, b* in steps of 6)."""
    out = []
    for lightness in range(74, 93, 3):
        for a in range(-60, 61, 6):
            for b in range(-60, 91, 6):
                colour = Color("lab-d65", [lightness, a, b])
                if (a * a + b * b) ** 0.5 <= MAX_CHROMA and colour.in_gamut("srgb", tolerance=0):
                    out.append(colour)
    return out


def palette(n: int) -> list[str]:
    """``n`` hex colours, greedily maximising the smallest pairwise CIEDE2000 distance."""
    pool = candidates()
    chosen: list[Color] = []
    nearest = [c.delta_e(Color("white"), method="2000") for c in pool]
    while len(chosen) < n:
        i = max(range(len(pool)), key=lambda k: nearest[k])
        chosen.append(pool[i])
        nearest = [min(d, c.delta_e(pool[i], method="2000")) for d, c in zip(nearest, pool)]
    return [c.convert("srgb").to_string(hex=True) for c in chosen]


if __name__ == "__main__":
    colours = palette(int(sys.argv[1]) if len(sys.argv) > 1 else 26)
    distances = [Color(a).delta_e(b, method="2000") for i, a in enumerate(colours) for b in colours[i + 1:]]
    print(colours)
    print(f"smallest CIEDE2000 distance between two colours: {min(distances):.1f}")
