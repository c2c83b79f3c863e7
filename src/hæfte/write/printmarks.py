"""Crop marks and a slug for the printer (``hæfte build --beskaering``).

In:  a finished booklet PDF laid out with 3 mm bleed (TrimBox = the 170 × 240 mm page,
     BleedBox = 3 mm more on each side).
Out: the same PDF with a 12 mm slug around the bleed: the MediaBox grows and crop marks are
     drawn in the slug in registration colour (every separation), starting 2 mm outside the
     bleed so they never touch the cover's colour. The marks are artifacts for screen readers.
     The slug carries no text: it would need a font of its own, and every glyph in the booklet
     comes from the embedded vendored fonts.
"""

from __future__ import annotations

from pathlib import Path

MM = 72 / 25.4
SLUG = 12 * MM  # beyond the bleed box
GAP = 2 * MM  # between the bleed edge and a crop mark
MARK = 6 * MM  # a crop mark's length


def _marks(trim, bleed) -> list[str]:
    x0, y0, x1, y1 = trim
    bx0, by0, bx1, by1 = bleed
    ops = []
    for x, y_from, y_to in ((x0, by0 - GAP, by0 - GAP - MARK), (x1, by0 - GAP, by0 - GAP - MARK),
                            (x0, by1 + GAP, by1 + GAP + MARK), (x1, by1 + GAP, by1 + GAP + MARK)):
        ops.append(f"{x:.3f} {y_from:.3f} m {x:.3f} {y_to:.3f} l S")
    for y, x_from, x_to in ((y0, bx0 - GAP, bx0 - GAP - MARK), (y1, bx0 - GAP, bx0 - GAP - MARK),
                            (y0, bx1 + GAP, bx1 + GAP + MARK), (y1, bx1 + GAP, bx1 + GAP + MARK)):
        ops.append(f"{x_from:.3f} {y:.3f} m {x_to:.3f} {y:.3f} l S")
    return ops


def add_marks(path: Path) -> None:
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
            bleed = [float(v) for v in page.obj.get("/BleedBox", trim)]
            media = [bleed[0] - SLUG, bleed[1] - SLUG, bleed[2] + SLUG, bleed[3] + SLUG]
            page.obj.MediaBox = pikepdf.Array(media)
            if "/CropBox" in page.obj:
                del page.obj["/CropBox"]
            # registration colour: every separation gets the marks
            content = ["/Artifact <</Type /Pagination>> BDC", "q", "0.25 w", "/Reg CS 1 SCN",
                       *_marks(trim, bleed), "Q", "EMC"]
            if "/Resources" not in page.obj:
                page.obj.Resources = pikepdf.Dictionary()
            if "/ColorSpace" not in page.obj.Resources:
                page.obj.Resources.ColorSpace = pikepdf.Dictionary()
            spaces = page.obj.Resources.ColorSpace
            spaces["/Reg"] = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK,
                                            pdf.make_stream(b"{dup dup dup}", FunctionType=4,
                                                            Domain=[0, 1], Range=[0, 1, 0, 1, 0, 1, 0, 1])])
            # WeasyPrint's page content changes the coordinate system without q … Q: wrap it first
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(("Q\n" + "\n".join(content)).encode("latin-1")), prepend=False)
        pdf.save(path)
