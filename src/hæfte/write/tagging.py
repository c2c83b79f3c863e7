"""Finish the tags of WeasyPrint's PDF/UA-1 output so the booklet passes the PDF/UA checks.

In:  the PDF WeasyPrint wrote with ``pdf_variant="pdf/ua-1"``, the laid-out pages
     (``write/layout.py``: hyphenated lines, figure boxes) and the print HTML's element tree.
Out: the same PDF, changed in place with pikepdf:

- marked content no structure element holds becomes an artifact: the running heads, folios and
  draft mark (WeasyPrint tags the margin boxes under no element of the tree), and the contents'
  dot leaders, taken out of their entries' Links;
- every ``TH`` gets ``/Scope`` (``Column`` in the table head, ``Row`` in its body);
- each figure's ``Caption`` moves into its ``Figure``, whose ``/BBox`` becomes the box of image and
  caption in PDF coordinates (WeasyPrint writes CSS pixels from the top);
- every link annotation hangs under a ``Link`` (WeasyPrint makes one per inline box and tags
  some under ``Span``) and gets a description (``/Contents``) a screen reader can say;
- a hyphen put in at a line break gets an ``/ActualText`` without it, so it is not read aloud;
- English words (``<span lang="en">``) get ``/Lang (en)``;
- bookmarks open with the document (``/PageMode /UseOutlines``); elements left empty
  (blank pages) are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

ARTIFACT = [Name.Artifact, Dictionary(Type=Name.Pagination)]


# ---------------------------------------------------------------- the structure tree
def _kids(element) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _is_element(node) -> bool:
    return isinstance(node, Dictionary) and "/S" in node


def walk(node):
    """Every structure element under ``node``, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        if _is_element(current):
            yield current
        stack.extend(reversed([k for k in _kids(current) if isinstance(k, Dictionary)]))


def _parent_tree(pdf) -> dict[int, object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


# ---------------------------------------------------------------- text of marked content
def _to_unicode(font) -> dict[int, str]:
    out: dict[int, str] = {}
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return out
    data = cmap.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", errors="replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = ord(bytes.fromhex(dst).decode("utf-16-be", errors="replace")[:1] or "\0")
            for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[code] = chr(start + i)
    return out


_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _glyph_codes(operand) -> list[int]:
    """The two-byte glyph codes a Tj/TJ operand shows."""
    unparsed = operand.unparse()
    if b"(" in unparsed:  # a literal string among them: the slow way
        items = operand if isinstance(operand, Array) else [operand]
        chunks = [bytes(item) for item in items if isinstance(item, String)]
    else:  # all hex strings, as WeasyPrint's glyph codes usually are
        chunks = [bytes.fromhex(chunk.decode("ascii")) for chunk in _HEX.findall(unparsed)]
    return [int.from_bytes(raw[i:i + 2], "big") for raw in chunks for i in range(0, len(raw) - 1, 2)]


def marked_texts(pdf, page, ops=None) -> dict[int, str]:
    """MCID -> the text drawn inside it on ``page`` (two-byte glyph codes, as WeasyPrint writes)."""
    fonts = {}
    resources = page.obj.get("/Resources", Dictionary())
    for name, font in resources.get("/Font", Dictionary()).items():
        fonts[name] = _to_unicode(font)
    texts: dict[int, list[str]] = {}
    stack: list[int | None] = []
    font: dict[int, str] = {}
    for operands, operator in (ops if ops is not None else pikepdf.parse_content_stream(page)):
        op = operator.unparse()  # much faster than str()
        if op == b"BDC":
            props = operands[1] if len(operands) > 1 else None
            stack.append(int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()
        elif op == b"Tf":
            font = fonts.get(str(operands[0]), {})
        elif op in (b"TJ", b"Tj") and stack and stack[-1] is not None:
            texts.setdefault(stack[-1], []).append("".join(font.get(code, "") for code in _glyph_codes(operands[0])))
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


# ---------------------------------------------------------------- the fixes
LEADER_DOTS = frozenset(". \u00a0")


def detach_leaders(pdf, texts: dict[int, dict[int, str]]) -> None:
    """The contents' dot leaders (``leader(". ")``: one marked content per dot, in the entry's
    Link) leave the structure element that holds them, so margin_artifacts makes them artifacts:
    a screen reader reads an entry's title and page number, not »punktum« fifty times. A run of
    three dots or more is a leader; an ellipsis in the text is one marked content, not three."""
    parents = _parent_tree(pdf)
    for index, page in enumerate(pdf.pages):
        owners = parents.get(int(page.obj.get("/StructParents", index)))
        if owners is None:
            continue
        dots = {mcid for mcid, text in texts[index].items() if text.strip() and set(text) <= LEADER_DOTS}
        holders = {owners[m].objgen: owners[m] for m in dots if m < len(owners) and _is_element(owners[m])}
        for holder in holders.values():
            kids = _kids(holder)
            if sum(1 for k in kids if isinstance(k, int) and k in dots) >= 3:
                holder.K = Array([k for k in kids if not (isinstance(k, int) and k in dots)])


def _reached(root) -> set[tuple[tuple[int, int], int]]:
    """(page, MCID) of every marked content a structure element under ``root`` holds."""
    reached = set()
    for element in walk(root):
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int) and page is not None:
                reached.add((page.objgen, kid))
            elif isinstance(kid, Dictionary) and "/MCID" in kid and (kid.get("/Pg") or page) is not None:
                reached.add(((kid.get("/Pg") or page).objgen, int(kid.MCID)))
    return reached


def margin_artifacts(pdf, root, streams: dict) -> None:
    """Marked content no structure element holds becomes an artifact: the margin boxes (WeasyPrint
    tags them under no element of the tree) and the leaders ``detach_leaders`` took out."""
    parents, reached = _parent_tree(pdf), _reached(root)
    bdc = pikepdf.Operator("BDC")
    for index, page in enumerate(pdf.pages):
        owners = parents.get(int(page.obj.get("/StructParents", index)))
        if owners is None:
            continue
        orphans = {mcid for mcid, owner in enumerate(owners)
                   if isinstance(owner, Dictionary) and (page.obj.objgen, mcid) not in reached}
        if not orphans:
            continue
        ops = streams[index]
        for i, (operands, operator) in enumerate(ops):
            if operator == bdc and len(operands) > 1 and isinstance(operands[1], Dictionary) \
                    and "/MCID" in operands[1] and int(operands[1].MCID) in orphans:
                ops[i] = pikepdf.ContentStreamInstruction(ARTIFACT, operator)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        for mcid in orphans:
            owners[mcid] = None


def header_scopes(root) -> None:
    parent_of = {}
    for element in walk(root):
        for kid in _kids(element):
            if _is_element(kid):
                parent_of[kid.objgen] = element
    for element in walk(root):
        if element.S != Name.TH:
            continue
        row = parent_of.get(element.objgen)
        group = parent_of.get(row.objgen) if row is not None else None
        scope = Name.Row if group is not None and group.S == Name.TBody else Name.Column
        attributes = element.get("/A")
        if not isinstance(attributes, Dictionary):
            attributes = Dictionary(O=Name.Table)
            element.A = attributes
        attributes.Scope = scope


def _page_matrix(page) -> tuple[float, ...]:
    """The coordinate change WeasyPrint sets up before drawing: CSS px (origin top left) to PDF."""
    a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "cm":
            a2, b2, c2, d2, e2, f2 = (float(v) for v in operands)
            a, b, c, d, e, f = (a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d,
                                e2 * a + f2 * c + e, e2 * b + f2 * d + f)
        elif op != "q":
            break
    return a, b, c, d, e, f


def figures_with_captions(pdf, root, pages) -> None:
    """Caption into its Figure; the Figure's BBox the laid-out box of image and caption."""
    page_index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    seen: dict[int, int] = {}
    for wrapper in list(walk(root)):
        kids = _kids(wrapper)
        figure = next((k for k in kids if _is_element(k) and k.S == Name.Figure), None)
        caption = next((k for k in kids if _is_element(k) and k.S == Name.Caption), None)
        if figure is None:
            continue
        if caption is not None:
            wrapper.K = Array([k for k in kids if not (_is_element(k) and k.objgen == caption.objgen)])
            figure.K = Array([*_kids(figure), caption])
            caption.P = figure
        if wrapper.S == Name.NonStruct:
            wrapper.S = Name.Div
        index = page_index.get(figure.Pg.objgen) if "/Pg" in figure else None
        if index is None:
            continue
        n = seen.get(index, 0)
        seen[index] = n + 1
        boxes = pages[index].figure_boxes if index < len(pages) else []
        if n >= len(boxes):
            continue
        x0, y0, x1, y1 = boxes[n]
        a, b, c, d, e, f = _page_matrix(pdf.pages[index])
        xs = [a * x + c * y + e for x, y in ((x0, y0), (x1, y1))]
        ys = [b * x + d * y + f for x, y in ((x0, y0), (x1, y1))]
        attributes = figure.get("/A")
        if not isinstance(attributes, Dictionary):
            attributes = Dictionary(O=Name.Layout)
            figure.A = attributes
        attributes.BBox = Array([round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)])


def _destinations(pdf) -> dict[str, int]:
    """Named destination -> page number (1-based)."""
    out = {}
    page_index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return out
    for name, dest in pikepdf.NameTree(names.Dests).items():
        target = dest.get("/D", dest) if isinstance(dest, Dictionary) else dest
        if isinstance(target, Array) and len(target) and target[0].objgen in page_index:
            out[str(name)] = page_index[target[0].objgen] + 1
    return out


def links(pdf, root, labels: dict[str, str]) -> None:
    """One ``Link`` per link, holding all its annotations, each with a description."""
    parents = _parent_tree(pdf)
    pages_of = _destinations(pdf)
    parent_of = {}
    for element in walk(root):
        for kid in _kids(element):
            if _is_element(kid):
                parent_of[kid.objgen] = element
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") != Name.Link:
                continue
            target = annotation.get("/Dest")
            if target is None and "/A" in annotation:
                target = annotation.A.get("/D") or annotation.A.get("/URI")
            text = str(target) if isinstance(target, String) else ""
            if text.startswith(("http://", "https://", "mailto:")):
                annotation.Contents = String(f"Link til {text}")
            else:
                label = labels.get(text, text)
                number = pages_of.get(text)
                annotation.Contents = String(f"Gå til {label}" + (f", side {number}" if number else ""))
            key = annotation.get("/StructParent")
            owner = parents.get(int(key)) if key is not None else None
            if not _is_element(owner) or owner.S == Name.Link:
                continue
            link = parent_of.get(owner.objgen)
            while link is not None and link.S != Name.Link:
                link = parent_of.get(link.objgen)
            if link is None:
                owner.S = Name.Link
                continue
            # the annotation's reference moves from the inner element to its link
            owner.K = Array([k for k in _kids(owner) if not (isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
                                                             and k.Obj.objgen == annotation.objgen)])
            link.K = Array([*_kids(link), Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page.obj)])
            pdf.Root.StructTreeRoot.ParentTree.Nums[_nums_index(pdf, int(key))] = link
    # a Link inside a Link (a link's ::after) is one link: the inner one becomes a Span and its
    # annotations move up to the outer one
    for element in list(walk(root)):
        if element.S != Name.Link or not _inside_link(element, parent_of):
            continue
        outer = parent_of.get(element.objgen)
        while outer.S != Name.Link:
            outer = parent_of.get(outer.objgen)
        refs = [k for k in _kids(element) if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR]
        element.K = Array([k for k in _kids(element) if not (isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR)])
        element.S = Name.Span
        for ref in refs:
            outer.K = Array([*_kids(outer), ref])
            key = ref.Obj.get("/StructParent")
            if key is not None:
                pdf.Root.StructTreeRoot.ParentTree.Nums[_nums_index(pdf, int(key))] = outer


def _inside_link(element, parent_of) -> bool:
    parent = parent_of.get(element.objgen)
    while parent is not None:
        if parent.S == Name.Link:
            return True
        parent = parent_of.get(parent.objgen)
    return False


def _nums_index(pdf, key: int) -> int:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(nums), 2):
        if int(nums[i]) == key:
            return i + 1
    raise KeyError(key)


def hyphens_not_read(pdf, pages, english: set[str], texts: dict[int, dict[int, str]]) -> None:
    """A line-break hyphen gets ``/ActualText`` without it; English words get ``/Lang (en)``.
    Marked content made an artifact has no owner left and is passed over."""
    parents = _parent_tree(pdf)
    for index, page in enumerate(pdf.pages):
        owners = parents.get(int(page.obj.get("/StructParents", index)))
        if owners is None:
            continue
        broken = {line.last.strip() for line in (pages[index].lines if index < len(pages) else ()) if line.hyphenated}
        for mcid, text in texts[index].items():
            owner = owners[mcid] if mcid < len(owners) else None
            if not _is_element(owner):
                continue
            shown = text.replace("\u00ad", "").strip()
            if shown in broken and shown.endswith("-") and owner.S == Name.Span and len(_kids(owner)) == 1:
                owner.ActualText = String(text.replace("\u00ad", "").rstrip()[:-1])
            parent = owner.get("/P")
            if english and shown in english and _is_element(parent) and parent.S == Name.Span:
                parent.Lang = String("en")


def drop_empty(root) -> None:
    for element in list(walk(root)):
        kept = [k for k in _kids(element) if not (_is_element(k) and not _kids(k) and k.S in (Name.Div, Name.NonStruct))]
        if len(kept) != len(_kids(element)):
            element.K = Array(kept)


def finish(path: Path, document, pages, html_root) -> None:
    """All the fixes above, on the PDF at ``path``."""
    english = {" ".join("".join(el.itertext()).split()) for el in html_root.iter() if el.get("lang") == "en"}
    labels = {}

    def text(el) -> str:
        return " ".join("".join(el.itertext()).replace("\u00ad", "").split())

    for el in html_root.iter():
        ident = el.get("id") if isinstance(el.tag, str) else None
        if not ident:
            continue
        first = el[0] if len(el) else None
        caption = el.find("table/caption")
        if el.tag in ("h1", "h2", "h3"):
            labels[ident] = f"afsnittet »{text(el)}«"
        elif el.tag == "section" and first is not None and first.tag in ("h1", "h2", "h3"):
            labels[ident] = f"afsnittet »{text(first)}«"
        elif caption is not None:
            labels[ident] = f"tabellen »{text(caption)}«"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.StructTreeRoot
        streams = {i: list(pikepdf.parse_content_stream(page)) for i, page in enumerate(pdf.pages)}
        texts = {i: marked_texts(pdf, page, streams[i]) for i, page in enumerate(pdf.pages)}  # read once
        detach_leaders(pdf, texts)
        margin_artifacts(pdf, root, streams)
        header_scopes(root)
        figures_with_captions(pdf, root, pages)
        links(pdf, root, labels)
        hyphens_not_read(pdf, pages, english, texts)
        drop_empty(root)
        pdf.Root.PageMode = Name.UseOutlines
        pdf.save(path, deterministic_id=True)
